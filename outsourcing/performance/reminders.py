"""Performance's part of the daily pass (SPEC "Reminders", reports): a report is due on its due day to the
vendor's users; unsubmitted the day after, it is overdue, to them and the responsible manager."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_noop

from outsourcing.core.registry import Notice, vendor_user_ids

from .models import ImplementationReport, ReportSchedule
from .services import _schedule_periods


def report_reminders(day: datetime.date) -> list[Notice]:
    yesterday = day - datetime.timedelta(days=1)
    schedules = list(ReportSchedule.objects.filter(engagement__status="active").select_related("engagement"))
    submitted = set(
        ImplementationReport.objects.filter(engagement_id__in=[s.engagement_id for s in schedules]).values_list(
            "engagement_id", "period_start"
        )
    )
    users = vendor_user_ids([s.engagement.vendor_id for s in schedules if s.engagement.vendor_id])
    notices = []
    for schedule in schedules:
        engagement = schedule.engagement
        vendor_users = users.get(engagement.vendor_id or 0, [])
        # Periods that ended before today: the latest ones are the only candidates for today's reminders.
        for period in _schedule_periods(schedule, day)[-3:]:
            if (engagement.pk, period.start) in submitted or period.due not in (day, yesterday):
                continue
            overdue = period.due == yesterday
            recipients = [*vendor_users, *([engagement.manager_id] if overdue and engagement.manager_id else [])]
            notices.append(
                Notice(
                    kind="report_overdue" if overdue else "report_due",
                    recipient_ids=tuple(recipients),
                    subject=engagement,
                    message=(
                        gettext_noop(
                            "The implementation report of %(engagement)s for %(start)s – %(end)s was due on %(due)s "
                            "and is missing."
                        )
                        if overdue
                        else gettext_noop(
                            "The implementation report of %(engagement)s for %(start)s – %(end)s is due today, %(due)s."
                        )
                    ),
                    params={
                        "engagement": str(engagement),
                        "start": str(period.start),
                        "end": str(period.end),
                        "due": str(period.due),
                    },
                    occasion=f"report:{engagement.pk}:{period.start}:{period.due}:{'overdue' if overdue else '0'}",
                    url=reverse("performance:engagement", kwargs={"pk": engagement.pk}),
                )
            )
    return notices
