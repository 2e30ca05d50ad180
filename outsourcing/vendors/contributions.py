"""What the vendors app contributes through core.registry: dashboard cards for suspended and blocked vendors,
the rule that a suspended or blocked vendor is not chosen for new work, and the activation gate's
`vendor_not_approved` (SPEC "Activation gate")."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core import registry
from outsourcing.core.access import sees_all_vendors
from outsourcing.core.registry import Blocker, DashboardCard, unworded

from .choices import CLOSED_TO_NEW_WORK, VendorStatus
from .models import Vendor

# code → (label, place in the lists as SPEC "Activation gate" orders the codes)
ISSUE_KINDS = {"vendor_not_approved": (gettext_lazy("Vendor not approved"), 20)}


def cards(user: Any) -> list[DashboardCard]:
    if not sees_all_vendors(user):
        return []
    result = []
    url = reverse("vendors:list")
    for status, tone, title in (
        (VendorStatus.SUSPENDED, "amber", _("Suspended vendors")),
        (VendorStatus.BLOCKED, "red", _("Blocked vendors")),
    ):
        count = Vendor.objects.filter(status=status).count()
        if count:
            result.append(DashboardCard(title=title, count=count, url=f"{url}?status={status}", tone=tone))
    return result


def status_blockers(vendors: Sequence[Any], engagement: Any, as_of: datetime.date) -> dict[int, list[Blocker]]:
    """A suspended or blocked vendor may not be chosen for new work, whatever its scores (no query: the
    vendors carry their status)."""
    return {
        vendor.pk: [
            Blocker(
                f"vendor_{vendor.status}",
                _("The vendor is %(status)s: it may not be chosen for new work.")
                % {"status": VendorStatus(vendor.status).label.lower()},
            )
        ]
        for vendor in vendors
        if vendor.status in CLOSED_TO_NEW_WORK
    }


def vendor_not_approved(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """The provider vendor's status is not `approved` (one query for the vendors' statuses)."""
    statuses = dict(Vendor.objects.filter(pk__in=registry.ids_of(engagements, "vendor_id")).values_list("pk", "status"))
    said: dict[str, Blocker] = {}  # status → its blocker, worded once

    def blocker(status: str) -> Blocker:
        if not detail:
            return unworded("vendor_not_approved")
        if status not in said:
            label = VendorStatus(status).label.lower()
            said[status] = Blocker(
                "vendor_not_approved",
                _("The vendor is %(status)s, not approved: approve the vendor (or choose another) first.")
                % {"status": label},
                _("Your company is %(status)s, not approved: the owner approves vendors before work starts.")
                % {"status": label},
            )
        return said[status]

    result: dict[int, list[Blocker]] = {}
    for engagement in engagements:
        status = statuses.get(engagement.vendor_id)
        if status is None or status == VendorStatus.APPROVED:
            continue
        result[engagement.pk] = [blocker(status)]
    return result
