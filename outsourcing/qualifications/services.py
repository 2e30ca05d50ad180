"""Public read-side functions of the qualifications app: requirement gaps and attention counts (set-based
queries). What other apps get from this app goes through the registry (see contributions.py)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from .choices import DerivedStatus
from .models import Qualification, QualificationRequirement, counts_q, status_q


def engagement_requirements(engagement: Any) -> list[QualificationRequirement]:
    return list(
        QualificationRequirement.objects.filter(engagement=engagement).select_related("type").order_by("type__code")
    )


def best_levels(
    vendor_ids: Sequence[int], type_ids: Sequence[int], as_of: datetime.date
) -> dict[tuple[int, int], int | None]:
    """{(vendor_id, type_id): highest level} over the qualifications that count on `as_of` (one query)."""
    rows = (
        Qualification.objects.filter(counts_q(as_of), vendor_id__in=vendor_ids, type_id__in=type_ids)
        .values("vendor_id", "type_id")
        .annotate(best=Max("level"))
        .order_by()
    )
    return {(row["vendor_id"], row["type_id"]): row["best"] for row in rows}


def split_requirements(
    requirements: list[QualificationRequirement],
    best: dict[tuple[int, int], int | None],
    vendor_id: int | None,
) -> tuple[list[str], list[str]]:
    met: list[str] = []
    missing: list[str] = []
    for requirement in requirements:
        key = (vendor_id or 0, requirement.type_id)
        held = vendor_id is not None and key in best
        (met if held and requirement.is_met_by(best[key]) else missing).append(requirement.type.code)
    return met, missing


def vendor_gaps(
    vendor_id: int | None, engagement: Any, as_of: datetime.date
) -> tuple[list[str], list[str], list[QualificationRequirement]]:
    """(met, missing, requirements) of `engagement`'s requirements for any vendor (a candidate, say)."""
    requirements = engagement_requirements(engagement)
    if not requirements or vendor_id is None:
        return [], [r.type.code for r in requirements], requirements
    best = best_levels([vendor_id], [r.type_id for r in requirements], as_of)
    met, missing = split_requirements(requirements, best, vendor_id)
    return met, missing, requirements


def qualification_gaps(engagement: Any, as_of: datetime.date | None = None) -> tuple[list[str], list[str]]:
    """(met, missing): codes of the engagement's required types its vendor meets / misses on `as_of`.

    A requirement is met when the vendor holds a qualification of that type that counts on `as_of`
    (verified and valid_from ≤ as_of ≤ valid_until) with level ≥ the minimum level (types without levels:
    just counts). An engagement without a vendor meets none.
    """
    met, missing, _unused = vendor_gaps(engagement.vendor_id, engagement, as_of or timezone.localdate())
    return met, missing


def attention_counts(queryset: Any, today: datetime.date) -> dict[str, int]:
    """How many of these qualifications expire within 30 days, wait for verification, were rejected."""
    return queryset.aggregate(
        expiring=Count("pk", filter=status_q(DerivedStatus.EXPIRING, today)),
        pending=Count("pk", filter=status_q(DerivedStatus.UNVERIFIED, today)),
        rejected=Count("pk", filter=status_q(DerivedStatus.REJECTED, today)),
    )
