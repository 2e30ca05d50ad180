"""Read-side figures of engagements: SLA attainment and credits per period, gain-sharing payouts, the
vendor criterion "past performance" and the dashboard cards. Shared by pages, API and exports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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

    @property
    def total(self) -> Decimal | None:
        if self.fee is None:
            return None
        return calc.capped_total((line.credit or calc.ZERO for line in self.lines), self.fee)

    @property
    def breaches(self) -> int:
        return sum(1 for line in self.lines if line.measurement.breached)


def sla_report(engagement: Engagement) -> list[PeriodCredits]:
    """Every measured period of the engagement with attainment, breach and service credit per metric."""
    agreement = ServiceAgreement.objects.filter(engagement=engagement).first()
    monthly_fee = agreement.monthly_fee if agreement else None
    metrics = {m.pk: m for m in SlaMetric.objects.filter(engagement=engagement).prefetch_related("bands")}
    periods: dict[tuple[datetime.date, bool], PeriodCredits] = {}
    for measurement in Measurement.objects.filter(metric__engagement=engagement).order_by("period_start", "metric"):
        metric = metrics[measurement.metric_id]
        key = (measurement.period_start, metric.quarterly)
        fee = None if monthly_fee is None else monthly_fee * (3 if metric.quarterly else 1)
        period = periods.setdefault(key, PeriodCredits(measurement.period_start, metric.quarterly, fee))
        percent = calc.credit_percent(metric.band_pairs(), measurement.shortfall)
        period.lines.append(
            MeasurementLine(
                metric=metric,
                measurement=measurement,
                period_end=calc.period_end(measurement.period_start, metric.quarterly),
                credit_percent=percent,
                credit=None if fee is None else calc.credit_amount(fee, percent),
            )
        )
    return sorted(periods.values(), key=lambda p: (p.period_start, p.quarterly))


@dataclass
class Chart:
    """An inline SVG line chart of one metric's attainment over its periods (geometry computed here)."""

    metric: SlaMetric
    points: str
    dots: list[dict[str, Any]]
    target_y: float
    y_labels: list[dict[str, Any]]
    width: int = 640
    height: int = 220


def attainment_charts(engagement: Engagement) -> list[Chart]:
    charts = []
    left, right, top, bottom, width, height = 60, 40, 30, 40, 640, 220
    values: dict[int, list[Measurement]] = defaultdict(list)
    for m in Measurement.objects.filter(metric__engagement=engagement).order_by("period_start"):
        values[m.metric_id].append(m)
    for metric in SlaMetric.objects.filter(engagement=engagement):
        series = values.get(metric.pk, [])[-12:]
        if not series:
            continue
        low = min([float(m.attainment) for m in series] + [90.0])
        low = max(0.0, (int(low) // 5) * 5)
        span = 100.0 - low or 1.0
        step = (width - left - right) / max(len(series) - 1, 1)

        def y(v: float, low: float = low, span: float = span) -> float:
            return round(top + (100.0 - min(v, 100.0)) / span * (height - top - bottom), 1)

        dots = [
            {
                "x": round(left + i * step, 1),
                "y": y(float(m.attainment)),
                "label": m.period_start.strftime("%Y-%m"),
                "value": m.value,
                "attainment": round(float(m.attainment), 2),
                "breached": m.breached,
            }
            for i, m in enumerate(series)
        ]
        labels = [{"y": y(v), "text": f"{v:g}%"} for v in (low, (low + 100) / 2, 100.0)]
        charts.append(
            Chart(
                metric=metric,
                points=" ".join(f"{d['x']},{d['y']}" for d in dots),
                dots=dots,
                target_y=y(100.0),
                y_labels=labels,
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
