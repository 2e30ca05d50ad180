"""Filtering and sorting of engagement lists, shared by the list page, its exports and the API."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .choices import AgreementState
from .models import Deliverable, Measurement, ServiceAgreement

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

FIXED_ISSUES = ("notice", "late", "breach", "blocked", "open")


def issue_choices(viewer: Any) -> list[tuple[str, str]]:
    """The issues the engagement list filters by: agreement, deliverables, SLA, the activation gate and each
    kind of open issue the apps register (SPEC "Activation gate") that `viewer` may see."""
    from django.utils.translation import gettext as _

    from outsourcing.core import registry

    return [
        ("notice", _("Agreement in notice window")),
        ("late", _("Late deliverables")),
        ("breach", _("SLA breach last month")),
        ("blocked", _("Blocked from activation")),
        ("open", _("Active with open issues")),
        *sorted(((code, str(label)) for code, label in registry.issue_kinds_for(viewer).items()), key=lambda c: c[1]),
    ]


def is_issue(value: str, viewer: Any) -> bool:
    """A filter `viewer` may use: an owner-only kind is no kind at all to a vendor user."""
    from outsourcing.core import registry

    return value in FIXED_ISSUES or value in registry.issue_kinds_for(viewer)


def engagements_with_issue(queryset: QuerySet[Any], issue: str, today: datetime.date, viewer: Any) -> QuerySet[Any]:
    """The engagements of `queryset` that have `issue` on `today` as `viewer` sees them: the one rule behind
    the list filter and the dashboard card of each issue."""
    if issue == "notice":
        # The same question as the agreement badge, the dashboard card and the decision reminders.
        return queryset.filter(Exists(ServiceAgreement.objects.decision_due(today).filter(engagement=OuterRef("pk"))))
    if issue == "late":
        return queryset.filter(Exists(Deliverable.objects.filter(engagement=OuterRef("pk")).late(today)))
    if issue == "breach":
        from .reports import last_full_month

        # One uncorrelated subquery (the month's breaches, found once through the period index), not an EXISTS
        # per engagement: with 1M measurements SQLite ran the latter as a scan of the month for every row.
        breaches = Measurement.objects.filter(period_start=last_full_month(today), breached=True)
        return queryset.filter(pk__in=breaches.values("metric__engagement_id"))
    if issue == "blocked":
        return queryset.blocked_from_activation(today)  # type: ignore[attr-defined,no-any-return]
    if issue == "open":
        return queryset.with_open_issues(today, viewer)  # type: ignore[attr-defined,no-any-return]
    if is_issue(issue, viewer):
        return queryset.with_open_issues(today, viewer, issue)  # type: ignore[attr-defined,no-any-return]
    return queryset


def filter_engagements(
    queryset: QuerySet[Any],
    *,
    viewer: Any,
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
    if issue:
        queryset = engagements_with_issue(queryset, issue, today, viewer)
    return queryset.select_related("vendor", "manager").order_by(SORTS.get(sort or "", "-start_date"), "pk")
