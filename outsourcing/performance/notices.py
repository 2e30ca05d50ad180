"""Performance's immediate notices: a returned report, to the vendor's users."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from outsourcing.core.registry import Notice, engagement_people, notify

from .models import ImplementationReport


def notify_report_returned(report: ImplementationReport) -> None:
    engagement = report.engagement
    notify(
        Notice(
            kind="report_returned",
            recipient_ids=engagement_people(engagement, manager=False, vendor=True),
            subject=report,
            message=gettext_noop(
                "The implementation report of %(engagement)s for %(start)s – %(end)s was returned: %(comments)s"
            ),
            params={
                "engagement": str(engagement),
                "start": str(report.period_start),
                "end": str(report.period_end),
                "comments": report.review_comments,
            },
            occasion=f"report_returned:{report.pk}:{report.reviewed_at}",
            url=reverse("performance:engagement", kwargs={"pk": engagement.pk}),
        )
    )
