"""Recurring re-examination (issue 11): each approved vendor's management system is examined again when its
risk tier's cycle has run since the last completed assessment. The daily pass starts the new assessment from
the current template and sends it to the vendor; reminders warn the owner at 30, 7 and 0 days before."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from outsourcing.core.access import SYSTEM
from outsourcing.core.registry import (
    DashboardCard,
    Notice,
    admin_ids,
    notify,
    reminder_days,
    reminder_offset,
    vendor_user_ids,
)
from outsourcing.vendors.models import Vendor, examinations

from .choices import AssessmentStatus
from .models import Assessment, AssessmentTemplate

OPEN = [s for s in AssessmentStatus.values if s != AssessmentStatus.COMPLETED]


def _approved() -> QuerySet[Vendor]:
    return Vendor.objects.filter(status="approved")


def do_start_due_reexaminations(day: datetime.date) -> list[Assessment]:
    """A vendor whose examination is due on `day` (or before) and has none open gets a new one, sent at once;
    a second run finds the open one and starts nothing."""
    template = AssessmentTemplate.objects.filter(is_active=True).order_by("-pk").first()
    if template is None:
        return []
    from .actions import do_create_assessment, do_send_assessment

    started = []
    due = examinations(_approved())
    for vendor in Vendor.objects.filter(pk__in=[pk for pk, e in due.items() if e.next_due and e.next_due <= day]):
        with transaction.atomic():
            Vendor.objects.select_for_update().filter(pk=vendor.pk).first()
            if Assessment.objects.filter(vendor=vendor, status__in=OPEN).exists():
                continue
            next_due = due[vendor.pk].next_due
            assessment = do_create_assessment(
                acting_user=SYSTEM,
                vendor=vendor,
                template=template,
                title=_("Re-examination %(year)s · %(vendor)s") % {"year": day.year, "vendor": vendor.name},
                due_date=day + datetime.timedelta(days=30),
                start_from_last=True,
            )
            do_send_assessment(assessment, acting_user=SYSTEM)
            notify(
                Notice(
                    kind="reexamination_due",
                    recipient_ids=tuple(vendor_user_ids([vendor.pk]).get(vendor.pk, [])),
                    subject=assessment,
                    message=gettext_noop(
                        "Your management system is due for re-examination: please answer assessment %(assessment)s "
                        "by %(due)s."
                    ),
                    params={"assessment": assessment.title, "due": str(assessment.due_date)},
                    occasion=f"reexamination_sent:{vendor.pk}:{next_due}",
                    url=reverse("assessments:detail", kwargs={"pk": assessment.pk}),
                )
            )
            started.append(assessment)
    return started


def reexamination_reminders(day: datetime.date) -> list[Notice]:
    """To the admins (a vendor's examination has no single owner): 30, 7 and 0 days before it is due."""
    dates = reminder_days(day)[:3]
    due = examinations(_approved())
    vendors = {v.pk: v for v in Vendor.objects.filter(pk__in=[pk for pk, e in due.items() if e.next_due in dates])}
    rows = [(vendors[pk], due[pk]) for pk in vendors]
    admins = tuple(admin_ids()) if rows else ()
    return [
        Notice(
            kind="reexamination_due",
            recipient_ids=admins,
            subject=vendor,
            message=gettext_noop(
                "The management system of %(vendor)s is due for re-examination on %(due)s (last examined %(last)s)."
            ),
            params={"vendor": vendor.name, "due": str(examination.next_due), "last": str(examination.last)},
            occasion=f"reexamination_due:{vendor.pk}:{examination.next_due}:{reminder_offset(due_on, day)}",
            url=reverse("vendors:detail", kwargs={"pk": vendor.pk}),
        )
        for vendor, examination in rows
        if (due_on := examination.next_due) is not None
    ]


def dashboard_cards(user: Any) -> list[DashboardCard]:
    """Owner staff: approved vendors whose re-examination is due within 30 days or overdue."""
    from outsourcing.core.access import sees_all_vendors

    if not sees_all_vendors(user):
        return []
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=30)
    due = sorted(
        ((e.next_due, pk, e.last) for pk, e in examinations(_approved()).items() if e.next_due and e.next_due <= soon),
        key=lambda row: row[0],
    )
    names = dict(Vendor.objects.filter(pk__in=[pk for _due, pk, _last in due[:3]]).values_list("pk", "name"))
    soonest = "; ".join(
        _("%(vendor)s: last examined %(last)s, due %(due)s") % {"vendor": names[pk], "last": last, "due": next_due}
        for next_due, pk, last in due[:3]
    )
    return [
        DashboardCard(
            _("Re-examinations due"),
            len(due),
            reverse("vendors:list") + "?status=approved",
            "amber" if due else "green",
            soonest or _("Approved vendors whose management system is due for examination within 30 days or overdue."),
        )
    ]
