"""Assessments' immediate notices: submitted (to the owner), returned (to the vendor)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from outsourcing.core.registry import Notice, admin_ids, notify, vendor_user_ids

from .models import Assessment


def notify_submitted(assessment: Assessment) -> None:
    """To the responsible manager of the assessment's engagement, else the reviewer, else the admins."""
    engagement = assessment.engagement
    manager_id = engagement.manager_id if engagement else None
    recipients = (manager_id,) if manager_id else ((assessment.reviewer_id,) if assessment.reviewer_id else ())
    notify(
        Notice(
            kind="assessment_submitted",
            recipient_ids=recipients or tuple(admin_ids()),
            subject=assessment,
            message=gettext_noop("%(vendor)s submitted its answers to assessment %(assessment)s: review them."),
            params={"vendor": str(assessment.vendor), "assessment": str(assessment)},
            occasion=f"assessment_submitted:{assessment.pk}:{assessment.submitted_at}",
            url=reverse("assessments:detail", kwargs={"pk": assessment.pk}),
        )
    )


def notify_returned(assessment: Assessment, reason: str) -> None:
    """To the vendor's users: items to correct."""
    notify(
        Notice(
            kind="assessment_returned",
            recipient_ids=tuple(vendor_user_ids([assessment.vendor_id]).get(assessment.vendor_id, [])),
            subject=assessment,
            message=gettext_noop("Assessment %(assessment)s was returned for correction: %(reason)s"),
            params={"assessment": str(assessment), "reason": reason},
            occasion=f"assessment_returned:{assessment.pk}:{assessment.submitted_at}",
            url=reverse("assessments:detail", kwargs={"pk": assessment.pk}),
        )
    )
