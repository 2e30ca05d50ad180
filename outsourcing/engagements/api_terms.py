"""API of the per-form terms: SLA metrics, measurements and credits; gain-sharing terms and payouts."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.access import ensure_can_change
from outsourcing.core.api import Day, ErrorOut, Pagination, RecordId, error_body, get_visible, validation_error_dict

from . import calc
from .actions import (
    DUPLICATE_PERIOD,
    do_correct_measurement,
    do_import_measurements,
    do_record_benefit_period,
    do_record_measurement,
    do_save_benefit_terms,
    do_save_metric,
)
from .choices import BenefitDirection, MeasurementPeriod
from .imports import read_rows
from .models import BenefitPeriod, Engagement, Measurement, SlaMetric
from .reports import benefit_report, measurement_gaps, sla_report

router = Router(tags=["service levels and gain-sharing"])


def _engagement(request: HttpRequest, engagement_id: int) -> Engagement:
    return get_visible(Engagement.objects, request.user, pk=engagement_id)


class BandIO(Schema):
    shortfall_from: Decimal = Field(max_digits=16, decimal_places=4)
    credit_percent: Decimal = Field(max_digits=5, decimal_places=2)


class BandOut(BandIO):
    """A credit band as answered (its own name: OpenAPI documents inputs and outputs apart)."""


class MetricIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    unit: str = Field(min_length=1, max_length=30)
    target: Decimal = Field(max_digits=16, decimal_places=4)
    higher_is_better: bool = True
    period: MeasurementPeriod = MeasurementPeriod.MONTHLY
    weight: Decimal = Field(Decimal(1), max_digits=6, decimal_places=2)
    bands: list[BandIO] = Field(default_factory=list, max_length=50)


class MetricPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    unit: str | None = Field(None, min_length=1, max_length=30)
    target: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    higher_is_better: bool | None = None
    period: MeasurementPeriod | None = None
    weight: Decimal | None = Field(None, max_digits=6, decimal_places=2)
    bands: list[BandIO] | None = Field(None, max_length=50)


class MetricOut(Schema):
    id: int
    engagement_id: int
    name: str
    unit: str
    target: Decimal
    higher_is_better: bool
    period: MeasurementPeriod
    weight: Decimal
    bands: list[BandOut]

    @staticmethod
    def resolve_bands(obj: SlaMetric) -> list[dict[str, Decimal]]:
        return [{"shortfall_from": s, "credit_percent": p} for s, p in obj.band_pairs()]


@router.get("/engagements/{engagement_id}/sla-metrics", response=list[MetricOut])
def list_metrics(request: HttpRequest, engagement_id: int) -> Any:
    engagement = _engagement(request, engagement_id)
    return SlaMetric.objects.filter(engagement=engagement).prefetch_related("bands")


@router.post("/engagements/{engagement_id}/sla-metrics", response={201: MetricOut})
def create_metric(request: HttpRequest, engagement_id: int, payload: MetricIn) -> Any:
    engagement = _engagement(request, engagement_id)
    data = payload.dict()
    bands = [(b["shortfall_from"], b["credit_percent"]) for b in data.pop("bands")]
    metric = do_save_metric(None, engagement=engagement, acting_user=request.user, changes=data, bands=bands)
    return Status(201, metric)


@router.get("/sla-metrics/{metric_id}", response=MetricOut)
def get_metric(request: HttpRequest, metric_id: int) -> Any:
    return get_visible(SlaMetric.objects, request.user, pk=metric_id)


@router.patch("/sla-metrics/{metric_id}", response=MetricOut)
def update_metric(request: HttpRequest, metric_id: int, payload: MetricPatch) -> Any:
    metric = get_visible(SlaMetric.objects.select_related("engagement"), request.user, pk=metric_id)
    data = payload.dict(exclude_unset=True)
    raw_bands = data.pop("bands", None)
    bands = None if raw_bands is None else [(b["shortfall_from"], b["credit_percent"]) for b in raw_bands]
    return do_save_metric(metric, engagement=metric.engagement, acting_user=request.user, changes=data, bands=bands)


class MeasurementIn(Schema):
    metric_id: RecordId
    period: Day | None = Field(None, description="First day of the measured month or quarter")
    period_start: Day | None = Field(None, description="The same as `period` (its earlier name)")
    value: Decimal = Field(max_digits=16, decimal_places=4)
    note: str = Field("", max_length=500)


class CorrectionIn(Schema):
    value: Decimal = Field(max_digits=16, decimal_places=4)
    reason: str = Field(min_length=1, max_length=2000)


class MeasurementOut(Schema):
    id: int
    metric_id: int
    metric_name: str
    period_start: datetime.date
    value: Decimal
    shortfall: Decimal
    attainment: Decimal
    breached: bool
    note: str
    corrected_at: datetime.datetime | None
    correction_reason: str

    @staticmethod
    def resolve_metric_name(obj: Measurement) -> str:
        return obj.metric.name


@router.get("/engagements/{engagement_id}/measurements", response=list[MeasurementOut])
@paginate(Pagination)
def list_measurements(request: HttpRequest, engagement_id: int) -> Any:
    engagement = _engagement(request, engagement_id)
    return (
        Measurement.objects.filter(metric__engagement=engagement)
        .select_related("metric")
        .order_by("period_start", "metric__name", "pk")
    )


@router.post("/engagements/{engagement_id}/measurements", response={201: MeasurementOut, 409: ErrorOut})
def record_measurement(request: HttpRequest, engagement_id: int, payload: MeasurementIn) -> Any:
    """A period must be over and have no value yet: a second value for it is refused with 409 naming `period`
    (change it with a correction)."""
    engagement = _engagement(request, engagement_id)
    ensure_can_change(request.user, engagement)  # who may, before what is wrong with the body
    data = payload.dict()
    period = data.pop("period") or data.pop("period_start")
    data.pop("period_start", None)
    if period is None:
        raise ValidationError({"period": _("Give the first day of the measured period.")})
    try:
        measurement = do_record_measurement(engagement, acting_user=request.user, period_start=period, **data)
    except ValidationError as exc:
        if any(e.code == DUPLICATE_PERIOD for e in exc.error_dict.get("period", [])):
            return Status(409, error_body(request, validation_error_dict(exc)))
        raise
    return Status(201, measurement)


@router.post("/measurements/{measurement_id}/corrections", response=MeasurementOut)
def correct_measurement(request: HttpRequest, measurement_id: int, payload: CorrectionIn) -> Any:
    """Change a recorded value, with the reason; the audit trail keeps the old and the new value."""
    measurement = get_visible(Measurement.objects.select_related("metric__engagement"), request.user, pk=measurement_id)
    return do_correct_measurement(measurement, acting_user=request.user, value=payload.value, reason=payload.reason)


class ImportOut(Schema):
    imported: int


@router.post("/engagements/{engagement_id}/measurements/import", response={201: ImportOut})
def import_measurements(request: HttpRequest, engagement_id: int, file: File[UploadedFile]) -> Any:
    """CSV or XLSX with columns metric, period (YYYY-MM), value, note: all rows or none."""
    engagement = _engagement(request, engagement_id)

    ensure_can_change(request.user, engagement)
    imported = do_import_measurements(engagement, rows=read_rows(file), acting_user=request.user)
    return Status(201, {"imported": len(imported)})


class MeasurementGapOut(Schema):
    metric_id: int
    metric_name: str
    period_start: datetime.date
    period_end: datetime.date


class MeasurementGapsOut(Schema):
    as_of: datetime.date
    count: int
    gaps: list[MeasurementGapOut]


@router.get("/engagements/{engagement_id}/measurement-gaps", response=MeasurementGapsOut)
def list_measurement_gaps(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    """Periods that are over within the agreement with no measurement of a metric: no data, never met."""
    engagement = _engagement(request, engagement_id)
    day = as_of or timezone.localdate()
    gaps = measurement_gaps(engagement, day)
    return {
        "as_of": day,
        "count": len(gaps),
        "gaps": [
            {
                "metric_id": g.metric.pk,
                "metric_name": g.metric.name,
                "period_start": g.period_start,
                "period_end": calc.period_end(g.period_start, g.metric.quarterly),
            }
            for g in gaps
        ],
    }


class CreditLineOut(Schema):
    metric_id: int
    metric_name: str
    value: Decimal
    target: Decimal
    shortfall: Decimal
    attainment: Decimal
    breached: bool
    credit_percent: Decimal
    credit: Decimal | None


class PeriodCreditsOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    quarterly: bool
    fee: Decimal | None
    breaches: int
    total_credit: Decimal | None
    lines: list[CreditLineOut]


@router.get("/engagements/{engagement_id}/credits", response=list[PeriodCreditsOut])
def list_credits(request: HttpRequest, engagement_id: int) -> Any:
    """Attainment, breaches and service credits per period; the total of a period never exceeds its fee."""
    engagement = _engagement(request, engagement_id)
    from .calc import period_end

    return [
        {
            "period_start": p.period_start,
            "period_end": period_end(p.period_start, p.quarterly),
            "quarterly": p.quarterly,
            "fee": p.fee,
            "breaches": p.breaches,
            "total_credit": p.total,
            "lines": [
                {
                    "metric_id": line.metric.pk,
                    "metric_name": line.metric.name,
                    "value": line.measurement.value,
                    "target": line.metric.target,
                    "shortfall": line.measurement.shortfall,
                    "attainment": line.measurement.attainment,
                    "breached": line.measurement.breached,
                    "credit_percent": line.credit_percent,
                    "credit": line.credit,
                }
                for line in p.lines
            ],
        }
        for p in sla_report(engagement)
        if p.lines  # a period with no measurement at all is a gap: GET …/measurement-gaps
    ]


# Gain-sharing ----------------------------------------------------------------------------------------


class TierIO(Schema):
    benefit_from: Decimal = Field(max_digits=16, decimal_places=2)
    share_percent: Decimal = Field(max_digits=5, decimal_places=2)


class TierOut(TierIO):
    """A benefit tier as answered (its own name: OpenAPI documents inputs and outputs apart)."""


class TermsIn(Schema):
    measure: str = Field(min_length=1, max_length=200)
    unit: str = Field("CNY", min_length=1, max_length=30)
    baseline: Decimal = Field(max_digits=16, decimal_places=2)
    direction: BenefitDirection = BenefitDirection.DECREASE
    share_percent: Decimal = Field(max_digits=5, decimal_places=2)
    cap: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    tiers: list[TierIO] = Field(default_factory=list, max_length=20)


class TermsOut(Schema):
    id: int
    engagement_id: int
    measure: str
    unit: str
    baseline: Decimal
    direction: BenefitDirection
    share_percent: Decimal
    cap: Decimal | None
    tiers: list[TierOut]

    @staticmethod
    def resolve_tiers(obj: Any) -> list[dict[str, Decimal]]:
        return [{"benefit_from": s, "share_percent": p} for s, p in obj.tier_pairs()]


@router.get("/engagements/{engagement_id}/benefit-terms", response=TermsOut)
def get_terms(request: HttpRequest, engagement_id: int) -> Any:
    from .models import BenefitTerms

    return get_visible(BenefitTerms.objects, request.user, engagement=_engagement(request, engagement_id))


@router.put("/engagements/{engagement_id}/benefit-terms", response=TermsOut)
def put_terms(request: HttpRequest, engagement_id: int, payload: TermsIn) -> Any:
    engagement = _engagement(request, engagement_id)
    data = payload.dict()
    tiers = [(t["benefit_from"], t["share_percent"]) for t in data.pop("tiers")]
    return do_save_benefit_terms(engagement, acting_user=request.user, changes=data, tiers=tiers)


class BenefitPeriodIn(Schema):
    period_start: Day
    measured: Decimal = Field(max_digits=16, decimal_places=2)
    note: str = Field("", max_length=500)


class BenefitPeriodOut(Schema):
    id: int
    period_start: datetime.date
    measured: Decimal
    note: str


class PayoutOut(Schema):
    period_start: datetime.date
    measured: Decimal
    benefit: Decimal
    payout: Decimal
    capped: bool
    explanation: list[str]


@router.get("/engagements/{engagement_id}/benefit-periods", response=list[BenefitPeriodOut])
def list_benefit_periods(request: HttpRequest, engagement_id: int) -> Any:
    return BenefitPeriod.objects.filter(engagement=_engagement(request, engagement_id)).order_by("period_start")


@router.post("/engagements/{engagement_id}/benefit-periods", response={201: BenefitPeriodOut})
def record_benefit_period(request: HttpRequest, engagement_id: int, payload: BenefitPeriodIn) -> Any:
    engagement = _engagement(request, engagement_id)
    return Status(201, do_record_benefit_period(engagement, acting_user=request.user, **payload.dict()))


@router.get("/engagements/{engagement_id}/payouts", response=list[PayoutOut])
def list_payouts(request: HttpRequest, engagement_id: int) -> Any:
    """The payout of every recorded month, explained line by line (Decimal, rounded half-up to cents)."""
    _terms, rows = benefit_report(_engagement(request, engagement_id))
    return [
        {
            "period_start": row.period.period_start,
            "measured": row.period.measured,
            "benefit": row.result.benefit,
            "payout": row.result.payout,
            "capped": row.result.capped,
            "explanation": row.result.lines,
        }
        for row in rows
    ]
