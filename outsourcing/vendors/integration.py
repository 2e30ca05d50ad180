"""What the vendors app contributes through core.registry: dashboard cards for vendors in a bad standing,
and the rule that a suspended or blocked vendor is not chosen and does not start an engagement."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.registry import Blocker, DashboardCard

from .choices import VendorStatus
from .models import Vendor


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


def status_blockers(vendor: Any, engagement: Any, as_of: Any) -> list[Blocker]:
    """A suspended or blocked vendor may not be chosen, whatever its scores."""
    if vendor.status in (VendorStatus.SUSPENDED, VendorStatus.BLOCKED):
        return [
            Blocker(
                f"vendor_{vendor.status}",
                _("The vendor is %(status)s: it may not be chosen for new work.")
                % {"status": VendorStatus(vendor.status).label.lower()},
            )
        ]
    return []


def activation_blockers(engagement: Any) -> list[Blocker]:
    """An engagement does not start with a suspended or blocked vendor."""
    if engagement.vendor_id is None:
        return []
    return status_blockers(engagement.vendor, engagement, None)


def activation_blockers_many(engagements: Any) -> dict[int, list[Blocker]]:
    """`activation_blockers` for many engagements: one query for their vendors' statuses."""
    vendor_ids = {e.vendor_id for e in engagements if e.vendor_id is not None}
    vendors = {v.pk: v for v in Vendor.objects.filter(pk__in=vendor_ids).only("pk", "status")}
    return {e.pk: status_blockers(vendors[e.vendor_id], e, None) if e.vendor_id in vendors else [] for e in engagements}
