"""Report periods and timeliness, appraisal scoring and standing. Portfolio figures use a fixed number of
queries whatever the number of engagements (no query per row)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Avg, Count
from django.utils.translation import gettext_noop

from outsourcing.core.phrases import Phrase, stored
from outsourcing.core.registry import vendor_criteria

from .choices import MONTHS, STANDING_THRESHOLDS, Standing, Timeliness
from .models import Appraisal, ImplementationReport, ReportSchedule

DEFAULT_WEIGHTS = {
    "quality": Decimal("40"),
    "inspection": Decimal("20"),
    "timeliness": Decimal("20"),
    "stability": Decimal("20"),
}
LONG_TERM_MONTHS = 12


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due: datetime.date


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    report_id: int | None
    report_status: str | None
    timeliness: str


def periods(
    frequency: str,
    first_start: datetime.date,
    due_days: int,
    until: datetime.date,
    engagement_end: datetime.date | None = None,
    engagement_start: datetime.date | None = None,
) -> list[Period]:
    """Completed reporting periods (ended before `until`), within the engagement's term: a period that starts
    before the engagement (a schedule stored before that was refused) is not owed, so it is never missing."""
    step = MONTHS[frequency]  # type: ignore[index]
    result: list[Period] = []
    k = 0
    due = datetime.timedelta(days=due_days)
    start = first_start
    while True:
        following = add_months(first_start, step * (k + 1))
        end = following - ONE_DAY
        if end >= until or (engagement_end and start > engagement_end):
            return result
        if engagement_start is None or start >= engagement_start:
            result.append(Period(start, end, end + due))
        start = following
        k += 1


ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day + relativedelta(months=months)` (the day kept, or the month's last day when it is shorter), without
    relativedelta's cost: the reports page and the dashboard work out the periods of thousands of schedules."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _schedule_periods(schedule: Any, until: datetime.date) -> list[Period]:
    return periods(
        schedule.frequency,
        schedule.first_period_start,
        schedule.due_days,
        until,
        schedule.engagement.end_date,
        schedule.engagement.start_date,
    )


def timeliness_of(period: Period, submitted_on: datetime.date | None, as_of: datetime.date) -> str:
    """On time when submitted by the due date (inclusive); missing once the due date has passed unsubmitted."""
    if submitted_on is None:
        return Timeliness.MISSING if as_of > period.due else Timeliness.NOT_DUE
    return Timeliness.ON_TIME if submitted_on <= period.due else Timeliness.LATE


def report_statuses(schedule: ReportSchedule, as_of: datetime.date) -> list[PeriodStatus]:
    from django.utils import timezone

    reports = {
        r.period_start: r
        for r in ImplementationReport.objects.filter(engagement_id=schedule.engagement_id).only(
            "pk", "period_start", "status", "submitted_at"
        )
    }
    result = []
    for period in _schedule_periods(schedule, as_of):
        report = reports.get(period.start)
        submitted = timezone.localdate(report.submitted_at) if report else None
        result.append(
            PeriodStatus(
                period,
                report.pk if report else None,
                report.status if report else None,
                timeliness_of(period, submitted, as_of),
            )
        )
    return result


def open_periods(schedule: ReportSchedule, as_of: datetime.date) -> list[Period]:
    """The completed periods the vendor may write a report for now: none submitted yet, or returned."""
    from .choices import ReportStatus

    return [
        s.period
        for s in report_statuses(schedule, as_of)
        if s.report_id is None or s.report_status == ReportStatus.RETURNED
    ]


def missing_reports(schedules: Iterable[ReportSchedule], as_of: datetime.date) -> dict[int, int]:
    """{engagement id: number of missing reports} for many schedules, in two queries."""
    schedules = list(schedules)
    submitted = set(
        ImplementationReport.objects.filter(engagement_id__in=[s.engagement_id for s in schedules]).values_list(
            "engagement_id", "period_start"
        )
    )
    result: dict[int, int] = {}
    for schedule in schedules:
        count = sum(
            1
            for p in _schedule_periods(schedule, as_of)
            if as_of > p.due and (schedule.engagement_id, p.start) not in submitted
        )
        if count:
            result[schedule.engagement_id] = count
    return result


def _add_months_sql(vendor: str, day: str, months: str) -> str:
    """SQL for `add_months(day, months)`: the day kept, or the month's last day when the month is shorter."""
    if vendor == "postgresql":
        return f"(({day}) + make_interval(months => ({months})))::date"
    # SQLite's '+N months' runs over into the next month (31 Jan + 1 month = 3 Mar): step back to the month's end.
    shifted = f"date({day}, '+' || ({months}) || ' months')"
    return (
        f"(CASE WHEN strftime('%%d', {shifted}) = strftime('%%d', {day}) THEN {shifted} "
        f"ELSE date({shifted}, 'start of month', '-1 day') END)"
    )


def count_missing_reports(schedules: Any, as_of: datetime.date) -> int:
    """How many reports of these schedules (a queryset) are missing on `as_of`, counted by the database in one
    statement: the same periods as `periods` (completed before `as_of`, within the engagement's term) whose due
    date has passed without a report. `missing_reports` gives the same per engagement for a page of schedules;
    the dashboard needs only the total over the whole portfolio."""
    from django.db import connection

    from outsourcing.engagements.models import Engagement

    first = schedules.order_by("first_period_start").values_list("first_period_start", flat=True).first()
    if first is None:
        return 0
    vendor = connection.vendor
    ids_sql, ids_params = schedules.order_by().values("pk").query.sql_with_params()
    longest = max(MONTHS.values())
    step = "CASE c.frequency " + " ".join(f"WHEN '{f}' THEN {m}" for f, m in MONTHS.items()) + " END"
    start = _add_months_sql(vendor, "c.first_period_start", f"({step}) * k.n")
    following = _add_months_sql(vendor, "c.first_period_start", f"({step}) * (k.n + 1)")
    if vendor == "postgresql":
        due = f"({following}) + (c.due_days - 1)"
    else:
        due = f"date({following}, (c.due_days - 1) || ' days')"
    # The calendar is worked out once per distinct (first period, frequency, due days) — a portfolio has few —
    # and joined to the schedules; date arithmetic per schedule and period was most of the cost on SQLite.
    # Only table names, fixed SQL and the queryset's own SQL are formatted in; every value is a parameter.
    sql = f"""
        WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < %s),
        s AS (
            SELECT s.engagement_id, s.first_period_start, s.frequency, s.due_days,
                   e.start_date AS e_start, e.end_date AS e_end
            FROM {ReportSchedule._meta.db_table} s
            JOIN {Engagement._meta.db_table} e ON e.id = s.engagement_id
            WHERE s.id IN ({ids_sql})
        ),
        c AS MATERIALIZED (SELECT DISTINCT first_period_start, frequency, due_days FROM s),
        cal AS MATERIALIZED (
            SELECT c.first_period_start, c.frequency, c.due_days, {start} AS start, {following} AS following,
                   {due} AS due
            FROM c CROSS JOIN k
        )
        SELECT COUNT(*) FROM s
        JOIN cal ON cal.first_period_start = s.first_period_start AND cal.frequency = s.frequency
                AND cal.due_days = s.due_days
        WHERE cal.following <= %s AND cal.due < %s
          AND (s.e_end IS NULL OR cal.start <= s.e_end)
          AND (s.e_start IS NULL OR cal.start >= s.e_start)
          AND NOT EXISTS (
              SELECT 1 FROM {ImplementationReport._meta.db_table} r
              WHERE r.engagement_id = s.engagement_id AND r.period_start = cal.start
          )
    """  # noqa: S608
    months = (as_of.year - first.year) * 12 + as_of.month - first.month
    with connection.cursor() as cursor:
        cursor.execute(sql, [months + longest, *ids_params, as_of, as_of])
        return int(cursor.fetchone()[0])


def timeliness_score(vendor_id: int, start: datetime.date, end: datetime.date) -> tuple[Decimal | None, str]:
    """Share of the vendor's reports due in [start, end] that came on time, 0–100; None when none was due."""
    from django.utils import timezone

    schedules = ReportSchedule.objects.filter(engagement__vendor_id=vendor_id).select_related("engagement")
    reports = {
        (r.engagement_id, r.period_start): timezone.localdate(r.submitted_at)
        for r in ImplementationReport.objects.filter(engagement__vendor_id=vendor_id).only(
            "engagement_id", "period_start", "submitted_at"
        )
    }
    due = on_time = 0
    as_of = end + datetime.timedelta(days=1)
    for schedule in schedules:
        for period in periods(
            schedule.frequency,
            schedule.first_period_start,
            schedule.due_days,
            end + datetime.timedelta(days=366),
            schedule.engagement.end_date,
            schedule.engagement.start_date,
        ):
            if not (start <= period.due <= end):
                continue
            due += 1
            submitted = reports.get((schedule.engagement_id, period.start))
            if timeliness_of(period, submitted, as_of) == Timeliness.ON_TIME:
                on_time += 1
    if due == 0:
        return None, Phrase(gettext_noop("no report was due in the period"))
    share = (Decimal(on_time * 100) / Decimal(due)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return share, Phrase(
        gettext_noop("%(on_time)s of %(due)s reports due in the period came on time"), on_time=on_time, due=due
    )


def standing_for(total: Decimal) -> Standing:
    for threshold, standing in STANDING_THRESHOLDS:
        if total >= threshold:
            return standing
    return Standing.BLOCKED


@dataclass(frozen=True)
class Score:
    total: Decimal
    standing: Standing
    parts: dict[str, Decimal | None]
    explanation: list[dict[str, Any]]


def score(
    parts: dict[str, Decimal | None], details: dict[str, str], weights: dict[str, Decimal] | None = None
) -> Score:
    """Weighted mean over the dimensions that have data; the weights of missing ones are shared out."""
    weights = weights or DEFAULT_WEIGHTS
    present = {k: v for k, v in parts.items() if v is not None and weights.get(k, 0) > 0}
    if not present:
        raise ValueError("no dimension has data")
    weight_sum = sum(weights[k] for k in present)
    weighted = sum((present[k] * weights[k] for k in present), Decimal("0")) / weight_sum
    total = weighted.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    explanation = [
        {
            "dimension": key,
            "score": None if parts.get(key) is None else str(parts[key]),
            "weight": str(weights.get(key, 0)),
            "effective_weight": str((weights[key] / weight_sum).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
            if key in present
            else "0",
            "detail": stored(details.get(key, "")),  # kept as msgid and parameters (core.phrases)
        }
        for key in weights
    ]
    return Score(total, standing_for(total), parts, explanation)


def criterion_score(code: str, vendor_id: int, engagement: Any, as_of: datetime.date) -> tuple[Decimal | None, str]:
    """A figure another app registered (SLA attainment, team stability), or no data when it has none."""
    criterion = vendor_criteria.get(code)
    if criterion is None:
        return None, Phrase(gettext_noop("no data"))
    value = criterion.compute([vendor_id], engagement, as_of).get(vendor_id)
    if value is None or value.score is None:
        return None, value.detail if value else Phrase(gettext_noop("no data"))
    return Decimal(str(value.score)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), value.detail


def long_term(vendor_ids: Sequence[int] | None, as_of: datetime.date) -> dict[int, tuple[Decimal, Standing, int]]:
    """{vendor: (mean total, standing, number of appraisals)} over the rolling horizon — one query.
    `vendor_ids` None: every vendor."""
    result = {}
    for row in long_term_rows(as_of, vendor_ids).order_by():
        mean = long_term_mean(row["mean"])
        result[row["vendor_id"]] = (mean, standing_for(mean), row["n"])
    return result


def long_term_rows(as_of: datetime.date, vendor_ids: Sequence[int] | None = None) -> Any:
    """The long-term figures as a query of {vendor_id, mean, n} rows, worst first: pages of the standings are
    read from it without working out every vendor's."""
    since = as_of - relativedelta(months=LONG_TERM_MONTHS)
    appraisals = Appraisal.objects.filter(period_end__gt=since, period_end__lte=as_of)
    if vendor_ids is not None:
        appraisals = appraisals.filter(vendor_id__in=vendor_ids)
    return appraisals.values("vendor_id").annotate(mean=Avg("total"), n=Count("pk")).order_by("mean", "vendor_id")


def long_term_mean(mean: Any) -> Decimal:
    """The long-term score: the mean appraisal total, half-up to cents."""
    return Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
