"""Teams' part of the daily pass: waivers expiring (30, 7, 0 days before, then once the day after), to the
engagement's responsible manager, or the admins when it has none."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_noop

from outsourcing.core.registry import Notice, admin_ids, reminder_days, reminder_offset

from .models import Waiver


def waiver_reminders(day: datetime.date) -> list[Notice]:
    rows = list(
        Waiver.objects.filter(valid_until__in=reminder_days(day), revoked_at__isnull=True).select_related(
            "engagement", "member"
        )
    )
    admins = admin_ids() if any(w.engagement.manager_id is None for w in rows) else []
    notices = []
    for waiver in rows:
        engagement = waiver.engagement
        offset = reminder_offset(waiver.valid_until, day)
        notices.append(
            Notice(
                kind="waiver_expiring",
                recipient_ids=(engagement.manager_id,) if engagement.manager_id else tuple(admins),
                subject=waiver,
                message=(
                    gettext_noop("The waiver for %(member)s on %(engagement)s expired on %(date)s.")
                    if offset == "overdue"
                    else gettext_noop("The waiver for %(member)s on %(engagement)s expires on %(date)s.")
                ),
                params={"member": str(waiver.member), "engagement": str(engagement), "date": str(waiver.valid_until)},
                occasion=f"waiver_expiring:{waiver.pk}:{waiver.valid_until}:{offset}",
                url=reverse("teams:engagement-team", kwargs={"pk": engagement.pk}),
            )
        )
    return notices
