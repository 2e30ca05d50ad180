"""Read-side helpers for rosters shared by the list page, the API and exports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

SORTS = {
    key: value
    for name, field in [
        ("name", "full_name"),
        ("employee_number", "employee_number"),
        ("employment_type", "employment_type"),
        ("title", "title"),
        ("hire_date", "hire_date"),
        ("left_date", "left_date"),
    ]
    for key, value in ((name, field), (f"-{name}", f"-{field}"))
}


def filter_members(
    queryset: QuerySet[Any],
    *,
    q: str | None = None,
    employment_type: str | None = None,
    status: str | None = None,
    sort: str | None = None,
    today: datetime.date | None = None,
    **_ignored: Any,
) -> QuerySet[Any]:
    """`status` is "employed" (as of today) or "left"."""
    today = today or timezone.localdate()
    if q:
        queryset = queryset.filter(Q(full_name__icontains=q) | Q(employee_number__icontains=q) | Q(title__icontains=q))
    if employment_type:
        queryset = queryset.filter(employment_type=employment_type)
    if status == "employed":
        queryset = queryset.employed_on(today)  # type: ignore[attr-defined]
    elif status == "left":
        queryset = queryset.left_by(today)  # type: ignore[attr-defined]
    return queryset.order_by(SORTS.get(sort or "", "full_name"), "pk")
