"""What the qualifications app gives the rest of the system through core.registry: the activation gate's
`qualification_missing`, the open issue `qualification_expires_in_term`, the vendor blocker for an
engagement's requirements, the comparison criterion "qualification fit" and the dashboard cards."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.phrases import Phrase
from outsourcing.core.registry import Blocker, CriterionScore, DashboardCard, ids_of, shared_read, unworded

from .choices import DerivedStatus
from .models import Qualification, QualificationRequirement, QualificationType, counts_q
from .services import attention_counts, best_levels, engagement_requirements, split_requirements

MISSING_CODE = "qualification_missing"
EXPIRES_CODE = "qualification_expires_in_term"
# code → (label, place in the lists as SPEC "Activation gate" orders the codes)
ISSUE_KINDS = {
    MISSING_CODE: (gettext_lazy("Required qualification missing"), 50),
    EXPIRES_CODE: (gettext_lazy("Qualification expires in the term"), 90),
}


def _requirements_of(engagements: Sequence[Any]) -> dict[int, list[QualificationRequirement]]:
    """{engagement pk: its requirements, by type code}, each with its type (two queries, once for both checks
    of a portfolio: `shared_read`): the few types are read once and shared, not once per requirement — a
    portfolio has thousands of requirements of a dozen types. Only what the rule reads (`is_met_by`, the type's
    code) and the wording names is loaded."""
    return shared_read(engagements, "qualifications.requirements", lambda: _read_requirements(engagements))  # type: ignore[no-any-return]


def _read_requirements(engagements: Sequence[Any]) -> dict[int, list[QualificationRequirement]]:
    by_engagement: dict[int, list[QualificationRequirement]] = defaultdict(list)
    requirements = list(
        QualificationRequirement.objects.filter(engagement_id__in=ids_of(engagements))
        .only("engagement_id", "type_id", "min_level")
        .order_by("type__code")
    )
    if not requirements:
        return by_engagement
    types = QualificationType.objects.only("code", "name", "has_levels").in_bulk({r.type_id for r in requirements})
    for requirement in requirements:
        requirement.type = types[requirement.type_id]
        by_engagement[requirement.engagement_id].append(requirement)
    return by_engagement


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


def qualification_missing(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """Activation gate: each requirement the engagement's vendor does not meet on `as_of` (three queries)."""
    by_engagement = _requirements_of(engagements)
    if not by_engagement:
        return {}
    type_ids = sorted({r.type_id for reqs in by_engagement.values() for r in reqs})
    best = best_levels(ids_of(engagements, "vendor_id"), type_ids, as_of)
    result = {}
    for engagement in engagements:
        requirements = by_engagement.get(engagement.pk, [])
        _met, missing = split_requirements(requirements, best, engagement.vendor_id)
        if missing:
            result[engagement.pk] = _blockers(missing, requirements, as_of) if detail else [unworded(MISSING_CODE)]
    return result


def qualification_expires_in_term(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """Open issue: a required qualification that counts on `as_of` ends (`valid_until`) before the engagement
    does and no renewal of it is on file (three queries). A requirement not met at all is `qualification_missing`
    instead; an engagement without an end date has no term to outlast."""
    with_end = [e for e in engagements if e.end_date and e.vendor_id]
    if not with_end:
        return {}
    by_engagement = _requirements_of(engagements)
    if not by_engagement:
        return {}
    held: dict[tuple[int, int], list[tuple[int | None, datetime.date, bool]]] = defaultdict(list)
    for vendor_id, type_id, level, valid_until, renewed in (
        Qualification.objects.filter(
            counts_q(as_of),
            vendor_id__in=ids_of(engagements, "vendor_id"),
            type_id__in={r.type_id for reqs in by_engagement.values() for r in reqs},
        )
        .annotate(renewed=Exists(Qualification.objects.filter(supersedes=OuterRef("pk"))))
        .values_list("vendor_id", "type_id", "level", "valid_until", "renewed")
    ):
        held[(vendor_id, type_id)].append((level, valid_until, renewed))
    result: dict[int, list[Blocker]] = {}
    for engagement in with_end:
        for requirement in by_engagement.get(engagement.pk, []):
            meeting = [q for q in held[(engagement.vendor_id, requirement.type_id)] if requirement.is_met_by(q[0])]
            if not meeting or any(renewed or until >= engagement.end_date for _l, until, renewed in meeting):
                continue
            if not detail:
                result[engagement.pk] = [unworded(EXPIRES_CODE)]
                break
            until = max(q[1] for q in meeting)
            result.setdefault(engagement.pk, []).append(
                Blocker(
                    EXPIRES_CODE,
                    _(
                        "%(requirement)s expires on %(until)s, before the engagement ends on %(end)s, and no "
                        "renewal is on file: ask the vendor for the renewed certificate."
                    )
                    % {"requirement": _requirement_label(requirement), "until": until, "end": engagement.end_date},
                    _(
                        "%(requirement)s expires on %(until)s, before the engagement ends on %(end)s, and no "
                        "renewal is on file: upload your renewed certificate."
                    )
                    % {"requirement": _requirement_label(requirement), "until": until, "end": engagement.end_date},
                )
            )
    return result


def vendor_blockers(vendors: Sequence[Any], engagement: Any, as_of: datetime.date) -> dict[int, list[Blocker]]:
    """For an engagement with requirements, each one a vendor does not meet forbids choosing it (two queries)."""
    if engagement is None:
        return {}
    requirements = engagement_requirements(engagement)
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
    requirements = engagement_requirements(engagement) if engagement is not None else []
    if requirements:
        best = best_levels(vendor_ids, [r.type_id for r in requirements], as_of)
        scores = {}
        for vendor_id in vendor_ids:
            met, missing = split_requirements(requirements, best, vendor_id)
            detail = (
                Phrase(
                    gettext_noop("%(met)s of %(total)s required qualifications met; missing: %(codes)s"),
                    met=len(met),
                    total=len(requirements),
                    codes=", ".join(missing),
                )
                if missing
                else Phrase(
                    gettext_noop("%(met)s of %(total)s required qualifications met"),
                    met=len(met),
                    total=len(requirements),
                )
            )
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
            result[vendor_id] = CriterionScore(None, Phrase(gettext_noop("No qualifications on file")))
        else:
            result[vendor_id] = CriterionScore(
                100.0 * counting / total,
                Phrase(
                    gettext_noop("%(counting)s of %(total)s current qualifications count"),
                    counting=counting,
                    total=total,
                ),
            )
    return result


def qualification_cards(user: Any) -> list[DashboardCard]:
    """Certificates expiring within 30 days (not yet renewed) and certificates waiting for verification."""
    visible = Qualification.objects.visible_to(user).filter(superseded_by__isnull=True)
    counts = attention_counts(visible, timezone.localdate())
    url = reverse("qualifications:list")
    cards = []
    if counts["expiring"]:
        cards.append(
            DashboardCard(
                title=_("Certificates expiring within 30 days"),
                count=counts["expiring"],
                url=f"{url}?status={DerivedStatus.EXPIRING}",
                tone="amber",
                description=_("Ask the vendor for the renewed certificate.")
                if sees_all_vendors(user)
                else _("Upload your renewed certificate before the current one expires."),
            )
        )
    if counts["pending"]:
        cards.append(
            DashboardCard(
                title=_("Certificates pending verification"),
                count=counts["pending"],
                url=f"{url}?status={DerivedStatus.UNVERIFIED}",
                tone="amber",
                description=_("Check them against the issuer's register, then verify or reject.")
                if sees_all_vendors(user)
                else _("The owner checks them against the issuer's register; you are told if one is rejected."),
            )
        )
    if counts["rejected"] and not sees_all_vendors(user):
        cards.append(
            DashboardCard(
                title=_("Certificates rejected by the owner"),
                count=counts["rejected"],
                url=f"{url}?status={DerivedStatus.REJECTED}",
                tone="red",
                description=_("Read the reason, correct the certificate and it goes back for verification."),
            )
        )
    return cards
