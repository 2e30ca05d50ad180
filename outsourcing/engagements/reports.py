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
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from outsourcing.core.charts import Point, line_chart
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


def measurement_gaps(engagement: Engagement, as_of: datetime.date | None = None) -> list[Gap]:
    """Every (metric, period) of the engagement that is over by `as_of` within the agreement and has no value."""
    as_of = as_of or timezone.localdate()
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


def sla_report(engagement: Engagement, as_of: datetime.date | None = None) -> list[PeriodCredits]:
    """Every period of the engagement with attainment, breach and service credit per metric; a period that is
    over without a measurement of a metric lists that metric among its gaps (no data, never met)."""
    agreement = ServiceAgreement.objects.filter(engagement=engagement).first()
    monthly_fee = agreement.monthly_fee if agreement else None
    metrics = {m.pk: m for m in SlaMetric.objects.filter(engagement=engagement).prefetch_related("bands")}
    periods: dict[tuple[datetime.date, bool], PeriodCredits] = {}

    def period_of(start: datetime.date, quarterly: bool) -> PeriodCredits:
        fee = None if monthly_fee is None else monthly_fee * (3 if quarterly else 1)
        return periods.setdefault((start, quarterly), PeriodCredits(start, quarterly, fee))

    for measurement in Measurement.objects.filter(metric__engagement=engagement).order_by("period_start", "metric"):
        metric = metrics[measurement.metric_id]
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
    for gap in measurement_gaps(engagement, as_of):
        period_of(gap.period_start, gap.metric.quarterly).gaps.append(metrics[gap.metric.pk])
    return sorted(periods.values(), key=lambda p: (p.period_start, p.quarterly))


def attainment_charts(engagement: Engagement, as_of: datetime.date | None = None) -> list[SafeString]:
    """One line chart per metric of its attainment over the last 12 periods; a period without a measurement is
    a gap in the line (no data), not joined over as if it were fine."""
    as_of = as_of or timezone.localdate()
    values: dict[int, dict[datetime.date, Measurement]] = defaultdict(dict)
    for m in Measurement.objects.filter(metric__engagement=engagement).order_by("period_start"):
        values[m.metric_id][m.period_start] = m
    charts = []
    for metric in SlaMetric.objects.filter(engagement=engagement).select_related("engagement__agreement"):
        measured = values.get(metric.pk, {})
        starts = sorted(set(metric.expected_periods(as_of)) | set(measured))[-12:]
        if not measured:
            continue
        points = [
            Point(
                start.strftime("%Y-%m"),
                float(measured[start].attainment) if start in measured else None,
                alert=start in measured and measured[start].breached,
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
    agreements = ServiceAgreement.objects.visible_to(user).filter(
        notice_date__lte=today, end_date__gte=today, terminated_on__isnull=True
    )
    from .models import late_deliverables

    late = late_deliverables(Deliverable.objects.visible_to(user), today)
    breaches = Measurement.objects.visible_to(user).filter(period_start=last_full_month(today), breached=True)
    url = reverse("engagements:list")
    cards = [
        DashboardCard(
            _("Agreements in notice window"),
            agreements.count(),
            url + "?issue=notice",
            "amber",
            _("Decide on renewal or termination before the end date."),
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
