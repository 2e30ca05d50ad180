"""Read-side figures of engagements: SLA attainment and credits per period, gain-sharing payouts, the
vendor criterion "past performance" and the dashboard cards. Shared by pages, API and exports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.registry import CriterionScore, DashboardCard

from . import calc
from .choices import EngagementStatus
from .models import (
    BenefitPeriod,
    BenefitTerms,
    Deliverable,
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


# Registry contributions ------------------------------------------------------------------------------


def past_performance(vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date) -> dict[int, CriterionScore]:
    """Weighted SLA attainment over the 12 months before `as_of`, across all the vendor's engagements.

    One grouped query for all vendors: sum(attainment × weight) ÷ sum(weight), attainment capped at 100.
    """
    since = as_of - datetime.timedelta(days=365)
    weighted = ExpressionWrapper(
        F("attainment") * F("metric__weight"), output_field=DecimalField(max_digits=20, decimal_places=6)
    )
    rows = (
        Measurement.objects.filter(
            metric__engagement__vendor_id__in=list(vendor_ids),
            period_start__gt=since,
            period_start__lte=as_of,
        )
        .values("metric__engagement__vendor_id")
        .annotate(
            weighted=Sum(weighted),
            weights=Sum("metric__weight"),
            n=Count("pk"),
            breaches=Count("pk", filter=Q(breached=True)),
        )
    )
    result = {vid: CriterionScore(None, _("No SLA measurements in the last 12 months.")) for vid in vendor_ids}
    for row in rows:
        if not row["weights"]:
            continue
        score = min(float(row["weighted"]) / float(row["weights"]), 100.0)
        result[row["metric__engagement__vendor_id"]] = CriterionScore(
            score,
            _("Weighted SLA attainment %(score).1f%% over %(n)s measurements, %(b)s breaches (12 months).")
            % {"score": score, "n": row["n"], "b": row["breaches"]},
        )
    return result


def dashboard_cards(user: Any) -> list[DashboardCard]:
    from outsourcing.core.access import sees_all_vendors

    from .actions import blocked_from_activation

    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    engagements = Engagement.objects.visible_to(user)
    agreements = ServiceAgreement.objects.visible_to(user).decision_due(today)
    from .models import late_deliverables

    late = late_deliverables(Deliverable.objects.visible_to(user), today)
    breaches = Measurement.objects.visible_to(user).filter(period_start=last_full_month(today), breached=True)
    url = reverse("engagements:list")
    cards = [
        DashboardCard(
            _("Agreement decisions due"),
            agreements.count(),
            url + "?issue=notice",
            "amber",
            _("Renew, or give notice before the notice deadline."),
        ),
        DashboardCard(_("Late deliverables"), late.count(), url + "?issue=late", "red"),
        DashboardCard(
            _("SLA breaches last month"),
            breaches.count(),
            url + "?issue=breach",
            "red",
            _("Measurements below target in %(month)s.") % {"month": last_full_month(today).strftime("%Y-%m")},
        ),
    ]
    if sees_all_vendors(user):
        waiting = list(engagements.filter(status=EngagementStatus.SELECTION).order_by())
        blocked = len(blocked_from_activation(waiting))
        cards.append(
            DashboardCard(
                _("Engagements blocked from activation"),
                blocked,
                url + "?status=selection",
                "amber",
                _("In vendor selection with an open blocker."),
            )
        )
    return cards
