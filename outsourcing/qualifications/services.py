"""Public read-side functions of the qualifications app: gaps, fit and blockers (set-based queries).

Other apps reach these through the registry (see apps.py) or import `qualification_gaps` directly.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.registry import Blocker, CriterionScore

from .choices import DerivedStatus
from .models import Qualification, QualificationRequirement, counts_q, status_q

MISSING_CODE = "qualification_missing"


def _requirements(engagement: Any) -> list[QualificationRequirement]:
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
    requirements = _requirements(engagement)
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


def _requirement_label(requirement: QualificationRequirement) -> str:
    if requirement.min_level is not None and requirement.type.has_levels:
        return _("%(type)s at level %(level)s or higher") % {
            "type": requirement.type.name,
            "level": requirement.min_level,
        }
    return requirement.type.name


def _blockers(missing: list[str], requirements: list[QualificationRequirement], as_of: datetime.date) -> list[Blocker]:
    by_code = {r.type.code: r for r in requirements}
    return [
        Blocker(
            MISSING_CODE,
            _("Required qualification missing on %(date)s: %(requirement)s.")
            % {"date": as_of.isoformat(), "requirement": _requirement_label(by_code[code])},
        )
        for code in missing
    ]


def activation_blockers(engagement: Any) -> list[Blocker]:
    """Each requirement the engagement's vendor does not meet today blocks activation."""
    today = timezone.localdate()
    _met, missing, requirements = vendor_gaps(engagement.vendor_id, engagement, today)
    return _blockers(missing, requirements, today)


def activation_blockers_many(engagements: Sequence[Any]) -> dict[int, list[Blocker]]:
    """`activation_blockers` for many engagements at once, in two queries."""
    today = timezone.localdate()
    by_engagement: dict[int, list[QualificationRequirement]] = defaultdict(list)
    for requirement in (
        QualificationRequirement.objects.filter(engagement_id__in=[e.pk for e in engagements])
        .select_related("type")
        .order_by("type__code")
    ):
        by_engagement[requirement.engagement_id].append(requirement)
    if not by_engagement:
        return {}
    type_ids = sorted({r.type_id for reqs in by_engagement.values() for r in reqs})
    vendor_ids = sorted({e.vendor_id for e in engagements if e.pk in by_engagement and e.vendor_id})
    best = best_levels(vendor_ids, type_ids, today)
    result = {}
    for engagement in engagements:
        requirements = by_engagement.get(engagement.pk, [])
        _met, missing = split_requirements(requirements, best, engagement.vendor_id)
        result[engagement.pk] = _blockers(missing, requirements, today)
    return result


def vendor_blockers(vendor: Any, engagement: Any, as_of: datetime.date) -> list[Blocker]:
    """For an engagement with requirements, each one `vendor` does not meet forbids approving it."""
    if engagement is None:
        return []
    _met, missing, requirements = vendor_gaps(vendor.pk, engagement, as_of)
    return _blockers(missing, requirements, as_of)


def vendor_blockers_many(vendors: Sequence[Any], engagement: Any, as_of: datetime.date) -> dict[int, list[Blocker]]:
    """`vendor_blockers` for many vendors at once, in two queries."""
    if engagement is None:
        return {}
    requirements = _requirements(engagement)
    if not requirements:
        return {}
    best = best_levels([v.pk for v in vendors], [r.type_id for r in requirements], as_of)
    return {v.pk: _blockers(split_requirements(requirements, best, v.pk)[1], requirements, as_of) for v in vendors}


def qualification_fit(vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date) -> dict[int, CriterionScore]:
    """Score 0–100 per vendor: the share of the engagement's requirements met on `as_of`.

    Without an engagement (or one with no requirements): the share of the vendor's current qualifications
    (not superseded by a renewal) that count on `as_of`; no qualifications on file gives no score.
    """
    vendor_ids = list(vendor_ids)
    requirements = _requirements(engagement) if engagement is not None else []
    if requirements:
        best = best_levels(vendor_ids, [r.type_id for r in requirements], as_of)
        scores = {}
        for vendor_id in vendor_ids:
            met, missing = split_requirements(requirements, best, vendor_id)
            detail = _("%(met)s of %(total)s required qualifications met") % {
                "met": len(met),
                "total": len(requirements),
            }
            if missing:
                detail += "; " + _("missing: %(codes)s") % {"codes": ", ".join(missing)}
            scores[vendor_id] = CriterionScore(100.0 * len(met) / len(requirements), detail)
        return scores
    rows = (
        Qualification.objects.filter(vendor_id__in=vendor_ids, superseded_by__isnull=True)
        .values("vendor_id")
        .annotate(total=Count("pk"), counting=Count("pk", filter=counts_q(as_of)))
        .order_by()
    )
    totals: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for row in rows:
        totals[row["vendor_id"]] = (row["counting"], row["total"])
    result = {}
    for vendor_id in vendor_ids:
        counting, total = totals[vendor_id]
        if total == 0:
            result[vendor_id] = CriterionScore(None, _("No qualifications on file"))
        else:
            result[vendor_id] = CriterionScore(
                100.0 * counting / total,
                _("%(counting)s of %(total)s current qualifications count") % {"counting": counting, "total": total},
            )
    return result


def attention_counts(queryset: Any, today: datetime.date) -> dict[str, int]:
    """How many of these qualifications expire within 30 days, wait for verification, were rejected."""
    return queryset.aggregate(
        expiring=Count("pk", filter=status_q(DerivedStatus.EXPIRING, today)),
        pending=Count("pk", filter=status_q(DerivedStatus.UNVERIFIED, today)),
        rejected=Count("pk", filter=status_q(DerivedStatus.REJECTED, today)),
    )
