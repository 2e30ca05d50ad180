"""The vendors' contribution to the dashboard: vendors in a bad standing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.registry import DashboardCard

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
