import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.api import Day, Pagination, RecordId, get_visible
from outsourcing.documents.choices import DocumentKind
from outsourcing.documents.models import Document
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from . import actions, comparison, scoring
from .ahp import derive_weights
from .api_results import AssessmentResultOut, ComparisonOut, EvidenceRefOut
from .choices import AssessmentStatus, ItemSource, Recommendation, Scale, Severity
from .explanations import worded
from .models import Answer, Assessment, AssessmentSettings, AssessmentTemplate, Finding, TemplateItem

router = Router(tags=["assessments"])


class TemplateItemOut(Schema):
    id: int
    code: str
    text: str
    guidance: str
    weight: float
    scale: Scale
    evidence_required: bool
    source: ItemSource
    criterion_code: str
    condition_item_id: int | None
    condition_value: str


class SectionOut(Schema):
    id: int
    code: str
    title: str
    description: str
    items: list[TemplateItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> Any:
        return obj.items.all()


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool


class TemplateDetailOut(TemplateOut):
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(obj: Any) -> Any:
        return obj.sections.prefetch_related("items")


@router.get("/assessment-templates", response=list[TemplateOut])
@paginate(Pagination)
def list_templates(request: HttpRequest) -> Any:
    return AssessmentTemplate.objects.order_by("name", "pk")


@router.get("/assessment-templates/{template_id}", response=TemplateDetailOut)
def get_template(request: HttpRequest, template_id: int) -> Any:
    return get_object_or_404(AssessmentTemplate, pk=template_id)


class SettingsOut(Schema):
    approve_threshold: float
    conditions_threshold: float
    critical_months: int
    high_months: int
    standard_months: int
    unset_months: int


class SettingsPatch(Schema):
    approve_threshold: float | None = Field(None, ge=0, le=100)
    conditions_threshold: float | None = Field(None, ge=0, le=100)
    critical_months: int | None = Field(None, ge=1, le=120)
    high_months: int | None = Field(None, ge=1, le=120)
    standard_months: int | None = Field(None, ge=1, le=120)
    unset_months: int | None = Field(None, ge=1, le=120)


@router.get("/assessment-settings", response=SettingsOut)
def get_settings(request: HttpRequest) -> Any:
    """The thresholds that turn a score into a recommendation."""
    if not sees_all_vendors(request.user):
        raise Http404
    return AssessmentSettings.current()


@router.patch("/assessment-settings", response=SettingsOut)
def update_settings(request: HttpRequest, payload: SettingsPatch) -> Any:
    changes = {k: Decimal(str(v)) for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return actions.do_save_settings(acting_user=request.user, changes=changes)


class AssessmentIn(Schema):
    vendor_id: RecordId
    template_id: RecordId
    engagement_id: RecordId | None = None
    title: str = Field("", max_length=200)
    due_date: Day | None = None
    start_from_last: bool = Field(False, description="Copy the answers of the vendor's last assessment")


class AssessmentOut(Schema):
    id: int
    vendor_id: int
    engagement_id: int | None
    template_id: int
    based_on_id: int | None
    status: AssessmentStatus
    title: str
    due_date: datetime.date | None
    sent_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    score: float | None
    recommendation: Recommendation | Literal[""]
    has_blockers: bool


class AnswerOut(Schema):
    id: int
    item_id: int
    value: str
    response: str
    score: float | None
    review_note: str
    returned: bool
    return_reason: str
    evidence: list[EvidenceRefOut] = []


class FindingOut(Schema):
    id: int
    item_id: int | None
    severity: Severity
    description: str
    evidence_id: int | None
    vendor_comment: str
    created_at: datetime.datetime


class AssessmentDetailOut(AssessmentOut):
    conclusion: str
    answers: list[AnswerOut]
    findings: list[FindingOut]


class AssessmentFilter(Schema):
    vendor_id: RecordId | None = None
    engagement_id: RecordId | None = None
    status: AssessmentStatus | None = None


def _detail(assessment: Assessment, user: Any) -> dict[str, Any]:
    _items, answers, evidence = scoring.load(assessment)
    data = AssessmentOut.from_orm(assessment).dict()
    data["conclusion"] = assessment.conclusion
    data["answers"] = [
        {**AnswerOut.from_orm(a).dict(), "evidence": [d.as_dict() for d in evidence.get(a.pk, [])]}
        for a in answers.values()
    ]
    if not scoring.may_see_review(user, assessment):
        for answer in data["answers"]:
            answer["score"], answer["review_note"] = None, ""
    data["findings"] = list(assessment.findings.all())
    return data


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return get_visible(
        Assessment.objects.select_related("vendor", "engagement", "template"), request.user, pk=assessment_id
    )


def _item(assessment: Assessment, item_id: int) -> TemplateItem:
    try:
        return TemplateItem.objects.get(pk=item_id, section__template_id=assessment.template_id)
    except TemplateItem.DoesNotExist as exc:
        raise ValidationError({"item_id": _("The item is not part of this assessment's template.")}) from exc


@router.get("/assessments", response=list[AssessmentOut])
@paginate(Pagination)
def list_assessments(request: HttpRequest, filters: Query[AssessmentFilter]) -> Any:
    qs = Assessment.objects.visible_to(request.user).order_by("-created_at", "-pk")
    for field, value in filters.dict(exclude_none=True).items():
        qs = qs.filter(**{field: value})
    return qs


@router.post("/assessments", response={201: AssessmentDetailOut})
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> Any:
    vendor = Vendor.objects.visible_to(request.user).filter(pk=payload.vendor_id).first()
    if vendor is None:
        raise ValidationError({"vendor_id": _("No such vendor.")})
    template = AssessmentTemplate.objects.filter(pk=payload.template_id).first()
    if template is None:
        raise ValidationError({"template_id": _("No such template.")})
    engagement = None
    if payload.engagement_id is not None:
        engagement = Engagement.objects.visible_to(request.user).filter(pk=payload.engagement_id).first()
        if engagement is None:
            raise ValidationError({"engagement_id": _("No such engagement.")})
    assessment = actions.do_create_assessment(
        acting_user=request.user,
        vendor=vendor,
        template=template,
        engagement=engagement,
        title=payload.title,
        due_date=payload.due_date,
        start_from_last=payload.start_from_last,
    )
    return Status(201, _detail(assessment, request.user))


@router.get("/assessments/{assessment_id}", response=AssessmentDetailOut)
def get_assessment(request: HttpRequest, assessment_id: int) -> Any:
    return _detail(_assessment(request, assessment_id), request.user)


@router.post("/assessments/{assessment_id}/send", response=AssessmentOut)
def send_assessment(request: HttpRequest, assessment_id: int) -> Any:
    return actions.do_send_assessment(_assessment(request, assessment_id), acting_user=request.user)


class AnswerIn(Schema):
    value: str = Field(max_length=10, description="0–4 for rating items, yes/no for yes/no items")
    response: str = Field("", max_length=5000)


@router.post("/assessments/{assessment_id}/items/{item_id}/answer", response=AnswerOut)
def answer_item(request: HttpRequest, assessment_id: int, item_id: int, payload: AnswerIn) -> Any:
    assessment = _assessment(request, assessment_id)
    return actions.do_answer_item(
        assessment,
        _item(assessment, item_id),
        acting_user=request.user,
        value=payload.value,
        response=payload.response,
    )


class EvidenceDocumentOut(Schema):
    id: int
    kind: DocumentKind
    sha256: str
    original_name: str


@router.post("/assessments/{assessment_id}/items/{item_id}/evidence", response={201: EvidenceDocumentOut})
def upload_evidence(
    request: HttpRequest,
    assessment_id: int,
    item_id: int,
    file: File[UploadedFile],
    description: Form[str] = "",
) -> Any:
    assessment = _assessment(request, assessment_id)
    document = actions.do_attach_evidence(
        assessment, _item(assessment, item_id), acting_user=request.user, upload=file, description=description
    )
    return Status(201, document)


@router.post("/assessments/{assessment_id}/submit", response=AssessmentOut)
def submit_assessment(request: HttpRequest, assessment_id: int) -> Any:
    return actions.do_submit_assessment(_assessment(request, assessment_id), acting_user=request.user)


@router.post("/assessments/{assessment_id}/start-review", response=AssessmentOut)
def start_review(request: HttpRequest, assessment_id: int) -> Any:
    return actions.do_start_review(_assessment(request, assessment_id), acting_user=request.user)


class ScoreIn(Schema):
    score: float = Field(ge=0, le=4, description="0–4 for rating items, 0 or 1 for yes/no items")
    note: str = Field("", max_length=3000)


@router.post("/assessments/{assessment_id}/items/{item_id}/score", response=AnswerOut)
def score_item(request: HttpRequest, assessment_id: int, item_id: int, payload: ScoreIn) -> Any:
    assessment = _assessment(request, assessment_id)
    return actions.do_score_item(
        assessment,
        _item(assessment, item_id),
        acting_user=request.user,
        score=payload.score,
        note=payload.note,
    )


class ReturnIn(Schema):
    reason: str = Field(min_length=1, max_length=3000)


@router.post("/assessments/{assessment_id}/items/{item_id}/return", response=AnswerOut)
def return_item(request: HttpRequest, assessment_id: int, item_id: int, payload: ReturnIn) -> Any:
    assessment = _assessment(request, assessment_id)
    return actions.do_return_item(
        assessment, _item(assessment, item_id), acting_user=request.user, reason=payload.reason
    )


class FindingIn(Schema):
    severity: Severity
    description: str = Field(min_length=1, max_length=5000)
    item_id: RecordId | None = None
    evidence_id: RecordId | None = None


@router.post("/assessments/{assessment_id}/findings", response={201: FindingOut})
def record_finding(request: HttpRequest, assessment_id: int, payload: FindingIn) -> Any:
    assessment = _assessment(request, assessment_id)
    item = _item(assessment, payload.item_id) if payload.item_id is not None else None
    evidence = None
    if payload.evidence_id is not None:
        evidence = Document.objects.visible_to(request.user).filter(pk=payload.evidence_id).first()
        if evidence is None:
            raise ValidationError({"evidence_id": _("No such document.")})
    finding = actions.do_record_finding(
        assessment,
        acting_user=request.user,
        severity=payload.severity,
        description=payload.description,
        item=item,
        evidence=evidence,
    )
    return Status(201, finding)


class CommentIn(Schema):
    comment: str = Field(max_length=5000)


@router.post("/findings/{finding_id}/comment", response=FindingOut)
def comment_finding(request: HttpRequest, finding_id: int, payload: CommentIn) -> Any:
    finding = get_visible(Finding.objects.select_related("assessment"), request.user, pk=finding_id)
    return actions.do_comment_finding(finding, acting_user=request.user, comment=payload.comment)


class CompleteIn(Schema):
    conclusion: str = Field("", max_length=5000)


@router.post("/assessments/{assessment_id}/complete", response=AssessmentOut)
def complete_assessment(request: HttpRequest, assessment_id: int, payload: CompleteIn) -> Any:
    return actions.do_complete_assessment(
        _assessment(request, assessment_id), acting_user=request.user, conclusion=payload.conclusion
    )


@router.get("/assessments/{assessment_id}/result", response=AssessmentResultOut)
def assessment_result(request: HttpRequest, assessment_id: int) -> Any:
    """Score per section and overall; every item line names its points, rule and evidence."""
    assessment = _assessment(request, assessment_id)
    if not scoring.may_see_review(request.user, assessment):
        raise ValidationError({"status": _("The vendor sees the result once the assessment is completed.")})
    result = worded(scoring.result_of(assessment))
    result.pop("score_decimal", None)
    return result


class AhpIn(Schema):
    criteria: list[str] = Field(description="Criterion names, unique, at most 10")
    matrix: list[list[float]] = Field(description="Pairwise judgements: a[i][j] = importance of i over j")


class AhpOut(Schema):
    weights: dict[str, float]
    consistency_ratio: float
    consistent: bool


@router.post("/scoring/ahp", response=AhpOut)
def ahp(request: HttpRequest, payload: AhpIn) -> Any:
    result = derive_weights(payload.criteria, payload.matrix)
    return {
        "weights": result.weights,
        "consistency_ratio": result.consistency_ratio,
        "consistent": result.consistent,
    }


class CompareIn(Schema):
    engagement_id: RecordId
    vendor_ids: list[RecordId] = Field(min_length=1, max_length=50)
    weights: dict[str, float] | None = Field(None, description="Criterion code → weight (normalised to sum 1)")
    ahp: AhpIn | None = Field(None, description="Pairwise matrix over criterion codes instead of weights")
    as_of: Day | None = None


@router.post("/scoring/compare", response=ComparisonOut)
def compare(request: HttpRequest, payload: CompareIn) -> Any:
    """Candidate vendors side by side on every registered criterion, weighted and ranked."""
    engagement = get_visible(Engagement.objects.all(), request.user, pk=payload.engagement_id, field="engagement_id")
    table = comparison.compare(
        request.user,
        engagement,
        payload.vendor_ids,
        weights=payload.weights,
        ahp=(payload.ahp.criteria, payload.ahp.matrix) if payload.ahp else None,
        as_of=payload.as_of,
    )
    return table.as_dict()


__all__ = ["Answer", "router"]
