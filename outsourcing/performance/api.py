import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.api import Day, Pagination, RecordId, get_visible
from outsourcing.documents.choices import DocumentKind, FileType
from outsourcing.documents.models import Document
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from . import actions
from .choices import Frequency, ReportStatus, Standing, Timeliness
from .models import Appraisal, ImplementationReport, ReportSchedule
from .services import long_term, report_statuses

router = Router(tags=["reports and appraisals"])


class ScheduleIn(Schema):
    frequency: Frequency
    first_period_start: Day
    due_days: int = Field(10, ge=0, le=90)


class ScheduleOut(Schema):
    engagement_id: int
    frequency: Frequency
    first_period_start: datetime.date
    due_days: int


class PeriodOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    due_date: datetime.date
    report_id: int | None
    report_status: ReportStatus | None
    timeliness: Timeliness


class AsOf(Schema):
    as_of: Day | None = None


@router.put("/engagements/{engagement_id}/report-schedule", response=ScheduleOut)
def set_schedule(request: HttpRequest, engagement_id: int, payload: ScheduleIn) -> Any:
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    return actions.do_set_schedule(engagement, acting_user=request.user, **payload.dict())


@router.get("/engagements/{engagement_id}/report-periods", response=list[PeriodOut])
def report_periods(request: HttpRequest, engagement_id: int, query: Query[AsOf]) -> Any:
    """Every completed reporting period with its report and timeliness (on_time, late, missing, not_due)."""
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    schedule = ReportSchedule.objects.filter(engagement=engagement).select_related("engagement").first()
    if schedule is None:
        return []
    return [
        {
            "period_start": s.period.start,
            "period_end": s.period.end,
            "due_date": s.period.due,
            "report_id": s.report_id,
            "report_status": s.report_status,
            "timeliness": s.timeliness,
        }
        for s in report_statuses(schedule, query.as_of or timezone.localdate())
    ]


class ReportIn(Schema):
    period_start: Day
    project_management: str = Field(min_length=1, max_length=10000)
    appraisal_execution: str = Field(min_length=1, max_length=10000)
    resources: str = Field("", max_length=5000)
    service_level: str = Field("", max_length=5000)


class ReportOut(Schema):
    id: int
    engagement_id: int
    period_start: datetime.date
    period_end: datetime.date
    due_date: datetime.date
    status: ReportStatus
    on_time: bool
    project_management: str
    appraisal_execution: str
    resources: str
    service_level: str
    submitted_at: datetime.datetime
    review_comments: str


@router.post("/engagements/{engagement_id}/implementation-reports", response={201: ReportOut})
def submit_report(request: HttpRequest, engagement_id: int, payload: ReportIn) -> Any:
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    return Status(201, actions.do_submit_report(engagement, acting_user=request.user, **payload.dict()))


@router.get("/implementation-reports", response=list[ReportOut])
@paginate(Pagination)
def list_reports(request: HttpRequest) -> Any:
    return ImplementationReport.objects.visible_to(request.user).order_by("-period_start", "-pk")


class ReviewIn(Schema):
    accept: bool
    comments: str = Field("", max_length=5000)


@router.post("/implementation-reports/{report_id}/review", response=ReportOut)
def review_report(request: HttpRequest, report_id: int, payload: ReviewIn) -> Any:
    report = get_visible(ImplementationReport.objects, request.user, pk=report_id)
    return actions.do_review_report(report, acting_user=request.user, **payload.dict())


class ReportAttachmentOut(Schema):
    """A file attached to a report; download it from GET /documents/{id}."""

    id: int
    kind: DocumentKind
    sha256: str
    original_name: str
    mime_type: FileType
    size: int
    uploaded_at: datetime.datetime


@router.get("/implementation-reports/{report_id}/attachments", response=list[ReportAttachmentOut])
def report_attachments(request: HttpRequest, report_id: int) -> Any:
    """The files attached to a report; download each from GET /documents/{id}."""
    report = get_visible(ImplementationReport.objects, request.user, pk=report_id)
    return Document.for_object(report).order_by("uploaded_at", "pk")


@router.post("/implementation-reports/{report_id}/attachments", response={201: ReportAttachmentOut})
def attach_to_report(request: HttpRequest, report_id: int, file: File[UploadedFile]) -> Any:
    """Attach a file (multipart `file`; PDF, PNG, JPEG, DOCX or XLSX, size-limited) to a submitted or returned
    report. A refused file leaves nothing."""
    report = get_visible(ImplementationReport.objects.select_related("engagement"), request.user, pk=report_id)
    return Status(201, actions.do_attach_report_file(report, acting_user=request.user, upload=file))


class AppraisalIn(Schema):
    period_start: Day
    period_end: Day
    engagement_id: RecordId | None = None
    inspection: Decimal | None = Field(None, ge=0, le=100, max_digits=6, decimal_places=2)
    comments: str = Field("", max_length=5000)


class ExplanationLineOut(Schema):
    """How one dimension counted in an appraisal's total."""

    dimension: Literal["quality", "inspection", "timeliness", "stability"]
    score: Decimal | None = Field(description="The dimension's score 0 … 100; null when it has no data.")
    weight: Decimal
    effective_weight: Decimal = Field(
        description="Its share of the total after the missing dimensions' weight is shared out."
    )
    detail: str


class AppraisalOut(Schema):
    id: int
    vendor_id: int
    engagement_id: int | None
    period_start: datetime.date
    period_end: datetime.date
    quality: Decimal | None
    inspection: Decimal | None
    timeliness: Decimal | None
    stability: Decimal | None
    total: Decimal
    standing: Standing
    explanation: list[ExplanationLineOut]

    @staticmethod
    def resolve_explanation(obj: Appraisal) -> list[dict[str, Any]]:
        return obj.explained()  # details worded in the request's language, as the page shows them


@router.post("/vendors/{vendor_id}/appraisals", response={201: AppraisalOut})
def appraise(request: HttpRequest, vendor_id: int, payload: AppraisalIn) -> Any:
    vendor = get_visible(Vendor.objects, request.user, pk=vendor_id)
    engagement = None
    if payload.engagement_id is not None:
        engagement = get_visible(Engagement.objects, request.user, pk=payload.engagement_id, field="engagement_id")
    data = payload.dict(exclude={"engagement_id"})
    return Status(201, actions.do_appraise(vendor, acting_user=request.user, engagement=engagement, **data))


@router.get("/vendors/{vendor_id}/appraisals", response=list[AppraisalOut])
@paginate(Pagination)
def list_appraisals(request: HttpRequest, vendor_id: int) -> Any:
    vendor = get_visible(Vendor.objects, request.user, pk=vendor_id)
    return Appraisal.objects.filter(vendor=vendor).order_by("-period_end", "-pk")


class StandingOut(Schema):
    vendor_id: int
    as_of: datetime.date
    long_term_score: Decimal | None
    standing: Standing | None
    appraisals: int


@router.get("/vendors/{vendor_id}/standing", response=StandingOut)
def standing(request: HttpRequest, vendor_id: int, query: Query[AsOf]) -> Any:
    """The long-term standing: the mean appraisal total over the 12 months up to as_of."""
    vendor = get_visible(Vendor.objects, request.user, pk=vendor_id)
    as_of = query.as_of or timezone.localdate()
    figures = long_term([vendor.pk], as_of).get(vendor.pk)
    return {
        "vendor_id": vendor.pk,
        "as_of": as_of,
        "long_term_score": figures[0] if figures else None,
        "standing": figures[1] if figures else None,
        "appraisals": figures[2] if figures else 0,
    }
