"""How many of a team are evaluated and eligible on D, counted by the database in one statement.

The SQL form of `eligibility.reasons_for` and `Verdict.eligible` (SPEC "Precise definitions") for figures over a
whole team, so a team page shows its eligible share without building a verdict for each of its people. Tests
pin it equal to counting `eligibility.evaluate_team` at the edges of every condition (month ends, leap days,
probation ending on D, contracts, waivers and their dates, thresholds met by tenure or by experience).
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import ExtractMonth, ExtractYear

from outsourcing.documents.choices import DocumentKind
from outsourcing.documents.models import Document

from .choices import EmploymentType
from .eligibility import team_places
from .models import TeamMember, Waiver


def full_months_expression(field: str, as_of: datetime.date) -> ExpressionWrapper:
    """`eligibility.full_months(<field>, as_of)` in SQL for dates on or before `as_of`: the calendar months between
    them, less one when the start's day of the month is not reached by `as_of` — unless `as_of` is its month's
    last day (relativedelta's clipping: Jan 31 → Feb 28 is a full month)."""
    months: Any = (as_of.year - ExtractYear(field)) * 12 + (as_of.month - ExtractMonth(field))
    if as_of.day != calendar.monthrange(as_of.year, as_of.month)[1]:
        months = months - Case(When(**{f"{field}__day__gt": as_of.day}, then=Value(1)), default=Value(0))
    return ExpressionWrapper(months, output_field=IntegerField())


def eligible_q(as_of: datetime.date, min_tenure_months: int, min_experience_months: int) -> Q:
    """No reason against (`reasons_for`), on rows annotated with `tenure` and `has_contract`."""
    return Q(employment_type=EmploymentType.REGULAR, probation_end_date__lte=as_of, has_contract=True) & (
        Q(tenure__gte=min_tenure_months) | Q(experience__gte=min_experience_months)
    )


def eligibility_counts(engagement: Any, as_of: datetime.date) -> tuple[int, int]:
    """(evaluated, eligible) on `engagement` on `as_of`: the vendor's people on the team then and employed then,
    and those of them with no reason against or a valid waiver — `len(evaluate_team(...))` and the number of
    its eligible verdicts, in one query whatever the team's size."""
    contracts = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(TeamMember),
        object_id=OuterRef("pk"),
        kind=DocumentKind.EMPLOYMENT_CONTRACT,
    )
    waivers = Waiver.objects.filter(
        engagement=engagement,
        member=OuterRef("pk"),
        revoked_at__isnull=True,
        valid_from__lte=as_of,
        valid_until__gte=as_of,
    )
    tenure = full_months_expression("hire_date", as_of)
    people = (
        TeamMember.objects.filter(pk__in=team_places(engagement, as_of).values("member_id"))
        .employed_on(as_of)
        .annotate(
            has_contract=Exists(contracts),
            waived=Exists(waivers),
            tenure=tenure,
            experience=ExpressionWrapper(F("prior_experience_months") + tenure, output_field=IntegerField()),
        )
        .order_by()
    )
    fine = eligible_q(as_of, engagement.min_tenure_months, engagement.min_experience_months)
    counts = people.aggregate(evaluated=Count("pk"), eligible=Count("pk", filter=fine | Q(waived=True)))
    return counts["evaluated"], counts["eligible"]
