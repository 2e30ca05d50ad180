"""Read-side helpers shared by the list page, the API and the exports (filters apply in the database)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import DerivedStatus
from .models import Qualification, status_q

SORTS = {
    "vendor": "vendor__name",
    "-vendor": "-vendor__name",
    "type": "type__code",
    "-type": "-type__code",
    "level": "level",
    "-level": "-level",
    "number": "number",
    "-number": "-number",
    "valid_until": "valid_until",
    "-valid_until": "-valid_until",
    "status": "derived_status",
    "-status": "-derived_status",
}


def qualification_list(user: Any, today: datetime.date | None = None) -> QuerySet[Qualification]:
    """What `user` may see, with vendor, type, renewal and derived status in the same query."""
    return (
        Qualification.objects.visible_to(user)
        .with_status(today or timezone.localdate())
        .select_related("vendor", "type", "superseded_by")
    )


def filter_qualifications(
    queryset: QuerySet[Qualification],
    *,
    q: str | None = None,
    type_code: str | None = None,
    status: str | None = None,
    vendor_id: int | str | None = None,
    verification: str | None = None,
    current: bool | None = None,
    sort: str | None = None,
    day: datetime.date | None = None,
    **_ignored: Any,
) -> QuerySet[Qualification]:
    if q:
        queryset = queryset.filter(
            Q(number__icontains=q)
            | Q(issuer__icontains=q)
            | Q(vendor__name__icontains=q)
            | Q(vendor__english_name__icontains=q)
        )
    if type_code:
        queryset = queryset.filter(type__code=type_code)
    if status and status in DerivedStatus.values:
        queryset = queryset.filter(status_q(status, day or timezone.localdate()))
    if vendor_id:
        try:
            queryset = queryset.filter(vendor_id=int(vendor_id))
        except (TypeError, ValueError):
            queryset = queryset.none()
    if verification:
        queryset = queryset.filter(verification_status=verification)
    if current:
        queryset = queryset.filter(superseded_by__isnull=True)
    return queryset.order_by(SORTS.get(sort or "", "vendor__name"), "type__code", "pk")
