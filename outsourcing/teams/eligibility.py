"""Who may work on an engagement on a given date, exactly as SPEC "Precise definitions" says.

The verdicts of a whole team, or of the key people of a whole portfolio, come from a fixed number of queries
(places with their people, contracts on file, valid waivers), never one query per person.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from outsourcing.core.registry import ids_of
from outsourcing.documents.choices import DocumentKind
from outsourcing.documents.models import Document

from .choices import EmploymentType, Reason, TeamSide
from .models import TeamAssignment, TeamMember, Waiver

_ONE_DAY = datetime.timedelta(days=1)


def full_months(start: datetime.date, end: datetime.date) -> int:
    """Complete calendar months from `start` to `end` (Jan 31 → Feb 28 is 1; Feb 29 → Feb 28 next year is 12).

    relativedelta's count (a month that lacks the start's day is clipped to its last day: the labour-law
    convention), by integer arithmetic when `end` is not before `start`: the months between the two calendar
    months, less one when `end` falls before the start's day in its month (its last day always completes the
    month). Tests pin it equal to relativedelta day by day across leap years and month ends.
    """
    if end < start:
        delta = relativedelta(end, start)
        return delta.years * 12 + delta.months
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and (end + _ONE_DAY).day != 1:  # the day after a month's last day is a first
        months -= 1
    return months


# The person's fields a verdict reads (`evaluated_on`, `reasons_for`) and names the person by.
VERDICT_FIELDS = (
    "full_name",
    "employment_type",
    "probation_end_date",
    "hire_date",
    "left_date",
    "prior_experience_months",
)


@dataclass
class Verdict:
    """One person's eligibility on one engagement on one date."""

    member: TeamMember
    as_of: datetime.date
    tenure_months: int
    reasons: list[str] = field(default_factory=list)
    waiver: Waiver | None = None

    @property
    def member_id(self) -> int:
        return self.member.pk

    @property
    def waived(self) -> bool:
        return bool(self.reasons) and self.waiver is not None

    @property
    def eligible(self) -> bool:
        return not self.reasons or self.waived

    @property
    def tone(self) -> str:
        if not self.reasons:
            return "green"
        return "amber" if self.waived else "red"

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(code).label) for code in self.reasons]

    def as_dict(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "eligible": self.eligible,
            "waived": self.waived,
            "reasons": list(self.reasons),
        }


def evaluated_on(member: TeamMember, as_of: datetime.date) -> bool:
    """Someone hired after D, or who left on or before D, is not evaluated at all: only people employed on D."""
    return member.employed_on(as_of)


def reasons_for(
    member: TeamMember,
    *,
    as_of: datetime.date,
    min_tenure_months: int,
    min_experience_months: int,
    has_contract: bool,
    tenure: int | None = None,
) -> list[str]:
    """The failed conditions, as stable reason codes, in a fixed order (`tenure`: `full_months(hire date,
    as_of)` when the caller has it already)."""
    reasons = []
    if member.employment_type != EmploymentType.REGULAR:
        reasons.append(Reason.NOT_REGULAR_EMPLOYEE.value)
    if member.probation_end_date is None or member.probation_end_date > as_of:
        reasons.append(Reason.PROBATION_NOT_PASSED.value)
    if not has_contract:
        reasons.append(Reason.CONTRACT_MISSING.value)
    if tenure is None:
        tenure = full_months(member.hire_date, as_of)
    if tenure < min_tenure_months and member.prior_experience_months + tenure < min_experience_months:
        reasons.append(Reason.INSUFFICIENT_TENURE_AND_EXPERIENCE.value)
    return reasons


def members_with_contract(member_ids: Iterable[int]) -> set[int]:
    """Which of these people have an employment contract on file (a fact as of now)."""
    ids = list(member_ids)
    if not ids:
        return set()
    return set(
        Document.objects.filter(
            content_type=ContentType.objects.get_for_model(TeamMember),
            object_id__in=ids,
            kind=DocumentKind.EMPLOYMENT_CONTRACT,
        ).values_list("object_id", flat=True)
    )


def valid_waivers(
    engagement_ids: Iterable[int], member_ids: Iterable[int], as_of: datetime.date
) -> dict[tuple[int, int], Waiver]:
    """{(engagement id, member id): the waiver valid on `as_of` that lasts longest} (one query)."""
    ids = list(member_ids)
    waivers: dict[tuple[int, int], Waiver] = {}
    if not ids:
        return waivers
    for waiver in Waiver.objects.filter(
        engagement_id__in=list(engagement_ids),
        member_id__in=ids,
        revoked_at__isnull=True,
        valid_from__lte=as_of,
        valid_until__gte=as_of,
    ).order_by("valid_until"):
        waivers[(waiver.engagement_id, waiver.member_id)] = waiver
    return waivers


def evaluate_places(places: Sequence[tuple[Any, TeamMember]], as_of: datetime.date) -> list[tuple[Any, Verdict]]:
    """Verdicts of (engagement, person) pairs as of `as_of`, each with its engagement's thresholds, in two
    queries whatever the number of pairs; people not evaluated on that date are left out."""
    evaluated = [(engagement, member) for engagement, member in places if evaluated_on(member, as_of)]
    contracts = members_with_contract({m.pk for _e, m in evaluated})
    waivers = valid_waivers({e.pk for e, _m in evaluated}, {m.pk for _e, m in evaluated}, as_of)
    verdicts = []
    for engagement, member in evaluated:
        tenure = full_months(member.hire_date, as_of)
        reasons = reasons_for(
            member,
            as_of=as_of,
            min_tenure_months=engagement.min_tenure_months,
            min_experience_months=engagement.min_experience_months,
            has_contract=member.pk in contracts,
            tenure=tenure,
        )
        verdict = Verdict(
            member=member,
            as_of=as_of,
            tenure_months=tenure,
            reasons=reasons,
            waiver=waivers.get((engagement.pk, member.pk)),
        )
        verdicts.append((engagement, verdict))
    return verdicts


def evaluate_members(engagement: Any, members: Iterable[TeamMember], as_of: datetime.date) -> list[Verdict]:
    """Verdicts on `engagement` as of `as_of`; people not evaluated on that date are left out."""
    return [verdict for _e, verdict in evaluate_places([(engagement, m) for m in members], as_of)]


def team_places(engagement: Any, as_of: datetime.date) -> QuerySet[TeamAssignment]:
    """The places of the vendor's people on the team on D (SPEC "On the team on D")."""
    # The engagement's own vendor's people: a transferred engagement's earlier vendor is not on its team.
    return TeamAssignment.objects.on_team(as_of).filter(
        engagement=engagement, side=TeamSide.VENDOR, member__isnull=False, member__vendor_id=engagement.vendor_id
    )


def team_members(engagement: Any, as_of: datetime.date, among: Iterable[int] | None = None) -> list[TeamMember]:
    """The vendor's people on the team on D (SPEC "On the team on D"); `among`: only these people (a page's)."""
    rows = team_places(engagement, as_of).select_related("member").order_by("member__full_name", "member_id")
    if among is not None:
        rows = rows.filter(member_id__in=list(among))
    seen: dict[int, TeamMember] = {}
    for assignment in rows:
        assert assignment.member is not None
        seen.setdefault(assignment.member.pk, assignment.member)
    return list(seen.values())


def evaluate_team(engagement: Any, as_of: datetime.date) -> list[Verdict]:
    return evaluate_members(engagement, team_members(engagement, as_of), as_of)


def key_people_not_eligible(engagements: Sequence[Any], as_of: datetime.date) -> dict[int, list[Verdict]]:
    """{engagement pk: verdicts of its key people on the team on `as_of` who are not eligible then and hold no
    waiver} for many engagements in four queries (the activation gate's `team_not_eligible`). An engagement
    without a vendor has no vendor side to judge."""
    by_pk = {e.pk: e for e in engagements if e.vendor_id}
    places = TeamAssignment.objects.on_team(as_of).filter(
        engagement_id__in=ids_of(engagements), side=TeamSide.VENDOR, key_person=True, member__isnull=False
    )
    # each person once, with what the verdict reads (`reasons_for`, `evaluated_on`) and says (the name) only
    people = TeamMember.objects.filter(pk__in=places.values("member_id")).only(*VERDICT_FIELDS).in_bulk()
    pairs: dict[tuple[int, int], tuple[Any, TeamMember]] = {}
    for engagement_id, member_id in places.order_by("engagement_id", "member__full_name", "member_id").values_list(
        "engagement_id", "member_id"
    ):
        if engagement_id in by_pk and member_id in people:
            pairs.setdefault((engagement_id, member_id), (by_pk[engagement_id], people[member_id]))
    result: dict[int, list[Verdict]] = {}
    for engagement, verdict in evaluate_places(list(pairs.values()), as_of):
        if not verdict.eligible:
            result.setdefault(engagement.pk, []).append(verdict)
    return result
