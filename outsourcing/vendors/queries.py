"""Read-side helpers for vendors shared by the list page, the API and exports."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

SORTS = {
    "name": "name",
    "-name": "-name",
    "registration_number": "registration_number",
    "-registration_number": "-registration_number",
    "country": "country",
    "-country": "-country",
    "status": "status",
    "-status": "-status",
    "created": "created_at",
    "-created": "-created_at",
}


def filter_vendors(
    queryset: QuerySet[Any],
    *,
    q: str | None = None,
    status: str | None = None,
    country: str | None = None,
    sort: str | None = None,
    **_ignored: Any,
) -> QuerySet[Any]:
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(english_name__icontains=q) | Q(registration_number__icontains=q)
        )
    if status:
        queryset = queryset.filter(status=status)
    if country:
        queryset = queryset.filter(country=country.upper())
    return queryset.order_by(SORTS.get(sort or "", "name"), "pk")
