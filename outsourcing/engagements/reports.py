"""Read-side figures of engagements: SLA attainment and credits per period, gain-sharing payouts, the
vendor criterion "past performance" and the dashboard cards. Shared by pages, API and exports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from outsourcing.core.charts import Point, line_chart

from . import calc
from .models import (
    BenefitPeriod,
    BenefitTerms,
    Engagement,
    Measurement,
    ServiceAgreement,
    SlaMetric,
)


@dataclass
class MeasurementLine:
    metric: SlaMetric
    measurement: Measurement
    period_end: datetime.date
    credit_percent: Decimal
    credit: Decimal | None  # None: the agreement names no monthly fee


@dataclass
class PeriodCredits:
    """The credits of one period (a month, or a quarter for quarterly metrics), capped at its fee."""

    period_start: datetime.date
    quarterly: bool
    fee: Decimal | None
    lines: list[MeasurementLine] = field(default_factory=list)
    gaps: list[SlaMetric] = field(default_factory=list)  # metrics with no measurement for this period: no data

    @property
    def total(self) -> Decimal | None:
        if self.fee is None or not self.lines:  # no fee named, or nothing measured (no data, not a zero credit)
            return None
        return calc.capped_total((line.credit or calc.ZERO for line in self.lines), self.fee)

    @property
    def breaches(self) -> int:
        return sum(1 for line in self.lines if line.measurement.breached)


@dataclass(frozen=True)
class Gap:
    """A period that is over and should have a measurement of the metric, but has none: no data, never met."""

    metric: SlaMetric
    period_start: datetime.date


def measurement_gaps(
    engagement: Engagement, as_of: datetime.date | None = None, metrics: Sequence[SlaMetric] | None = None
) -> list[Gap]:
    """Every (metric, period) of the engagement that is over by `as_of` within the agreement and has no value.
    `metrics`: the engagement's, with `engagement__agreement` selected, when the caller has them."""
    as_of = as_of or timezone.localdate()
    if metrics is None:
        metrics = list(SlaMetric.objects.filter(engagement=engagement).select_related("engagement__agreement"))
    if not metrics:
        return []
    measured = set(Measurement.objects.filter(metric__engagement=engagement).values_list("metric_id", "period_start"))
    return [
        Gap(metric, start)
        for metric in metrics
        for start in metric.expected_periods(as_of)
        if (metric.pk, start) not in measured
    ]


def sla_report(
    engagement: Engagement,
    as_of: datetime.date | None = None,
    *,
    since: datetime.date | None = None,
    before: datetime.date | None = None,
    gaps: Sequence[Gap] | None = None,
    metrics: Sequence[SlaMetric] | None = None,
) -> list[PeriodCredits]:
    """Every period of the engagement with attainment, breach and service credit per metric; a period that is
    over without a measurement of a metric lists that metric among its gaps (no data, never met).

    `since`/`before`: only the periods starting on or after / before these days (a page of a long history reads
    only its own measurements); `gaps`: `measurement_gaps(engagement, as_of)` and `metrics`: the engagement's
    metrics with `engagement__agreement` selected and `bands` prefetched, when the caller has them."""
    if metrics is None:
        agreement = ServiceAgreement.objects.filter(engagement=engagement).first()
        metrics = list(SlaMetric.objects.filter(engagement=engagement).prefetch_related("bands"))
    else:  # no metric, no measurement: the fee is never asked
        agreement = getattr(metrics[0].engagement, "agreement", None) if metrics else None
    monthly_fee = agreement.monthly_fee if agreement else None
    by_pk = {m.pk: m for m in metrics}
    periods: dict[tuple[datetime.date, bool], PeriodCredits] = {}

    def period_of(start: datetime.date, quarterly: bool) -> PeriodCredits:
        fee = None if monthly_fee is None else monthly_fee * (3 if quarterly else 1)
        return periods.setdefault((start, quarterly), PeriodCredits(start, quarterly, fee))

    def shown(start: datetime.date) -> bool:
        return (since is None or start >= since) and (before is None or start < before)

    measurements = Measurement.objects.filter(metric__engagement=engagement)
    if since is not None:
        measurements = measurements.filter(period_start__gte=since)
    if before is not None:
        measurements = measurements.filter(period_start__lt=before)
    for measurement in measurements.order_by("period_start", "metric"):
        metric = by_pk[measurement.metric_id]
        period = period_of(measurement.period_start, metric.quarterly)
        percent = calc.credit_percent(metric.band_pairs(), measurement.shortfall)
        period.lines.append(
            MeasurementLine(
                metric=metric,
                measurement=measurement,
                period_end=calc.period_end(measurement.period_start, metric.quarterly),
                credit_percent=percent,
                credit=None if period.fee is None else calc.credit_amount(period.fee, percent),
            )
        )
    for gap in measurement_gaps(engagement, as_of) if gaps is None else gaps:
        if shown(gap.period_start):
            period_of(gap.period_start, gap.metric.quarterly).gaps.append(by_pk[gap.metric.pk])
    return sorted(periods.values(), key=lambda p: (p.period_start, p.quarterly))


CHART_PERIODS = 12


def attainment_charts(
    engagement: Engagement, as_of: datetime.date | None = None, metrics: Sequence[SlaMetric] | None = None
) -> list[SafeString]:
    """One line chart per metric of its attainment over the last 12 periods; a period without a measurement is
    a gap in the line (no data), not joined over as if it were fine.

    Only the charts' own rows are read (period, attainment, breach of the last periods, not whole measurements
    of the engagement's history). `metrics`: the engagement's, with `engagement__agreement` selected."""
    as_of = as_of or timezone.localdate()
    if metrics is None:
        metrics = list(SlaMetric.objects.filter(engagement=engagement).select_related("engagement__agreement"))
    expected = {metric.pk: metric.expected_periods(as_of) for metric in metrics}
    # A metric with CHART_PERIODS expected periods since a day shows nothing measured before that day (its
    # last periods are those or later ones); one with fewer may show any of its measurements.
    cutoffs = [starts[-CHART_PERIODS] if len(starts) >= CHART_PERIODS else None for starts in expected.values()]
    rows = Measurement.objects.filter(metric__engagement=engagement)
    if cutoffs and None not in cutoffs:
        rows = rows.filter(period_start__gte=min(c for c in cutoffs if c is not None))
    values: dict[int, dict[datetime.date, tuple[Decimal, bool]]] = defaultdict(dict)
    for metric_id, start, attainment, breached in rows.values_list(
        "metric_id", "period_start", "attainment", "breached"
    ):
        values[metric_id][start] = (attainment, breached)
    charts = []
    for metric in metrics:
        measured = values.get(metric.pk, {})
        starts = sorted(set(expected[metric.pk]) | set(measured))[-CHART_PERIODS:]
        if not measured:
            continue
        points = [
            Point(
                start.strftime("%Y-%m"),
                float(measured[start][0]) if start in measured else None,
                alert=start in measured and measured[start][1],
            )
            for start in starts
        ]
        known = [p.value for p in points if p.value is not None]
        low = max(0.0, (int(min([*known, 90.0])) // 5) * 5)
        charts.append(
            line_chart(
                points,
                title=_("%(name)s: attainment per period (%% of target)") % {"name": metric.name},
                x_label=_("Period (month)") if not metric.quarterly else _("Period (quarter)"),
                y_label=_("Attainment (%)"),
                y_min=float(low),
                y_max=100.0,
                bands=[(100.0, _("target"))],
                no_data=_("no data"),
            )
        )
    return charts


@dataclass
class PayoutRow:
    period: BenefitPeriod
    result: calc.Payout


def benefit_report(engagement: Engagement) -> tuple[BenefitTerms | None, list[PayoutRow]]:
    terms = BenefitTerms.objects.filter(engagement=engagement).prefetch_related("tiers").first()
    if terms is None:
        return None, []
    periods = BenefitPeriod.objects.filter(engagement=engagement).order_by("period_start")
    return terms, [PayoutRow(p, terms.payout_for(p.measured)) for p in periods]


def last_full_month(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)
