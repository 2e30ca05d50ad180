"""Qualifications' part of the daily pass (SPEC "Reminders", certificate expiry)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_noop

from outsourcing.core.registry import Notice, reminder_days, reminder_offset, vendor_user_ids
from outsourcing.engagements.models import Engagement

from .choices import VerificationStatus
from .models import Qualification


def expiring_certificates(day: datetime.date) -> list[Notice]:
    """Every qualification that is not rejected and not superseded by a renewal, at 30, 7 and 0 days before
    `valid_until` and once "expired" the day after; to the vendor's active users and the responsible managers
    of the vendor's engagements in vendor selection or active."""
    rows = list(
        Qualification.objects.filter(valid_until__in=reminder_days(day), superseded_by__isnull=True)
        .exclude(verification_status=VerificationStatus.REJECTED)
        .select_related("vendor", "type")
    )
    vendor_ids = {q.vendor_id for q in rows}
    users = vendor_user_ids(list(vendor_ids))
    managers: dict[int, set[int]] = {}
    for vendor_id, manager_id in Engagement.objects.filter(
        vendor_id__in=vendor_ids, status__in=["selection", "active"], manager__isnull=False
    ).values_list("vendor_id", "manager_id"):
        managers.setdefault(vendor_id, set()).add(manager_id)
    notices = []
    for qualification in rows:
        offset = reminder_offset(qualification.valid_until, day)
        params = {
            "type": str(qualification.type),
            "number": qualification.number,
            "vendor": qualification.vendor.name,
            "date": str(qualification.valid_until),
        }
        occasion = f"qualification_expiring:{qualification.pk}:{qualification.valid_until}:{offset}"
        url = reverse("qualifications:detail", kwargs={"pk": qualification.pk})
        # The vendor's people are told what to do about their own certificate; the owner's managers what it is.
        vendor_side = tuple(users.get(qualification.vendor_id, []))
        owner_side = tuple(set(managers.get(qualification.vendor_id, ())) - set(vendor_side))
        for recipients, message in (
            (
                vendor_side,
                gettext_noop(
                    "Your certificate %(type)s %(number)s expired on %(date)s: upload the renewed certificate."
                )
                if offset == "overdue"
                else gettext_noop(
                    "Your certificate %(type)s %(number)s expires on %(date)s: upload the renewed certificate."
                ),
            ),
            (
                owner_side,
                gettext_noop("The certificate %(type)s %(number)s of %(vendor)s expired on %(date)s.")
                if offset == "overdue"
                else gettext_noop("The certificate %(type)s %(number)s of %(vendor)s expires on %(date)s."),
            ),
        ):
            if recipients:
                notices.append(
                    Notice(
                        kind="qualification_expiring",
                        recipient_ids=recipients,
                        subject=qualification,
                        message=message,
                        params=params,
                        occasion=occasion,
                        url=url,
                    )
                )
    return notices
