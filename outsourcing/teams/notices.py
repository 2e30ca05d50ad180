"""Teams' immediate notices."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from outsourcing.core.registry import Notice, engagement_people, notify

from .choices import ReplacementStatus
from .models import Replacement


def notify_replacement_pending(replacement: Replacement) -> None:
    """A key person's replacement waits for the owner's approval: tell the responsible manager."""
    if replacement.status != ReplacementStatus.PENDING:
        return
    engagement = replacement.engagement
    notify(
        Notice(
            kind="replacement_pending",
            recipient_ids=engagement_people(engagement),
            subject=replacement,
            message=gettext_noop(
                "%(vendor)s proposes to replace key person %(outgoing)s by %(successor)s on %(engagement)s from "
                "%(date)s: approve or reject."
            ),
            params={
                "vendor": str(engagement.vendor or ""),
                "outgoing": str(replacement.outgoing.member),
                "successor": str(replacement.successor),
                "engagement": str(engagement),
                "date": str(replacement.effective_date),
            },
            occasion=f"replacement_pending:{replacement.pk}",
            url=reverse("teams:engagement-team", kwargs={"pk": engagement.pk}),
        )
    )
