"""Filtering and sorting of engagement lists, shared by the list page, its exports and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .choices import AgreementState
from .models import Deliverable, Measurement, ServiceAgreement, late_deliverables

SORTS = {
    key: value
    for name, field in (
        ("code", "code"),
        ("title", "title"),
        ("form", "form"),
        ("vendor", "vendor__name"),
        ("status", "status"),
        ("start", "start_date"),
        ("end", "end_date"),
    )
    for key, value in ((name, field), (f"-{name}", f"-{field}"))
}

ISSUES = ("notice", "late", "breach")


def filter_engagements(
    queryset: QuerySet[Any],
    *,
    q: str | None = None,
    form: str | None = None,
    status: str | None = None,
    vendor_id: int | str | None = None,
    issue: str | None = None,
    agreement: str | None = None,
    sort: str | None = None,
    **_ignored: Any,
) -> QuerySet[Any]:
    if q:
        queryset = queryset.filter(
            Q(title__icontains=q) | Q(code__icontains=q) | Q(department__icontains=q) | Q(vendor__name__icontains=q)
        )
    if form:
        queryset = queryset.filter(form=form)
    if status:
        queryset = queryset.filter(status=status)
    if vendor_id not in (None, ""):
        try:
            queryset = queryset.filter(vendor_id=int(vendor_id))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            queryset = queryset.none()
    today = timezone.localdate()
    if agreement in AgreementState.values:
        queryset = queryset.filter(
            Exists(ServiceAgreement.objects.in_state(today, agreement).filter(engagement=OuterRef("pk")))
        )
    if issue == "notice":
        # The same question as the agreement badge, the dashboard card and the decision reminders.
        queryset = queryset.filter(
            Exists(ServiceAgreement.objects.decision_due(today).filter(engagement=OuterRef("pk")))
        )
    elif issue == "late":
        queryset = queryset.filter(
            Exists(late_deliverables(Deliverable.objects.filter(engagement=OuterRef("pk")), today))
        )
    elif issue == "breach":
        from .reports import last_full_month

        # One uncorrelated subquery (the month's breaches, found once through the period index), not an EXISTS
        # per engagement: with 1M measurements SQLite ran the latter as a scan of the month for every row.
        breaches = Measurement.objects.filter(period_start=last_full_month(today), breached=True)
        queryset = queryset.filter(pk__in=breaches.values("metric__engagement_id"))
    return queryset.select_related("vendor", "manager").order_by(SORTS.get(sort or "", "-start_date"), "pk")
