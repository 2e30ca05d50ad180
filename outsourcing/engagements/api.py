import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.api import Day, Pagination, RecordId, get_visible, request_fields
from outsourcing.documents.choices import DocumentKind

from .actions import (
    do_add_version,
    do_attach_signed_agreement,
    do_create_engagement,
    do_decide_deliverable,
    do_give_notice,
    do_save_agreement,
    do_save_deliverable,
    do_transfer_engagement,
    do_transition,
    do_update_engagement,
)
from .api_terms import router as terms_router
from .choices import Acceptance, AgreementState, EngagementForm, EngagementStatus
from .models import AgreementVersion, Deliverable, Engagement, ServiceAgreement
from .queries import filter_engagements

router = Router(tags=["engagements"])
router.add_router("", terms_router)


class EngagementIn(Schema):
    code: str | None = Field(None, max_length=32)
    title: str = Field(min_length=1, max_length=200)
    form: EngagementForm
    vendor_id: RecordId | None = None
    description: str = Field("", max_length=5000)
    department: str = Field("", max_length=200)
    manager_id: RecordId | None = None
    internal_unit: str = Field("", max_length=200)
    is_operations_maintenance: bool = False
    start_date: Day
    end_date: Day | None = None
    min_tenure_months: int = Field(12, ge=0, le=600)
    min_experience_months: int = Field(24, ge=0, le=1200)


class EngagementPatch(Schema):
    code: str | None = Field(None, max_length=32)
    title: str | None = Field(None, min_length=1, max_length=200)
    form: EngagementForm | None = None
    vendor_id: RecordId | None = None
    description: str | None = Field(None, max_length=5000)
    department: str | None = Field(None, max_length=200)
    manager_id: RecordId | None = None
    internal_unit: str | None = Field(None, max_length=200)
    is_operations_maintenance: bool | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    min_tenure_months: int | None = Field(None, ge=0, le=600)
    min_experience_months: int | None = Field(None, ge=0, le=1200)


class EngagementOut(Schema):
    id: int
    code: str | None
    title: str
    form: EngagementForm
    vendor_id: int | None
    vendor_name: str | None
    provider: str
    description: str
    department: str
    manager_id: int | None
    internal_unit: str
    is_operations_maintenance: bool
    status: EngagementStatus
    start_date: datetime.date
    end_date: datetime.date | None
    min_tenure_months: int
    min_experience_months: int
    override_reason: str
    override_by_id: int | None
    override_at: datetime.datetime | None

    @staticmethod
    def resolve_vendor_name(obj: Engagement) -> str | None:
        return obj.vendor.name if obj.vendor else None

    @staticmethod
    def resolve_provider(obj: Engagement) -> str:
        return obj.provider_name


class EngagementFilter(Schema):
    q: str | None = Field(None, max_length=200)
    form: EngagementForm | None = None
    status: EngagementStatus | None = None
    vendor_id: RecordId | None = None
    issue: str | None = Field(
        None,
        max_length=40,
        description="notice, late, breach, blocked (from activation), open (active with open issues) or the code "
        "of one kind of open issue (e.g. team_not_eligible)",
    )
    agreement: AgreementState | None = Field(None, description="the agreement's deadline state today")
    sort: str | None = Field(None, max_length=40)


@router.get("/engagements", response=list[EngagementOut])
@paginate(Pagination)
def list_engagements(request: HttpRequest, filters: Query[EngagementFilter]) -> Any:
    return filter_engagements(Engagement.objects.visible_to(request.user), **filters.dict())


@router.post("/engagements", response={201: EngagementOut})
def create_engagement(request: HttpRequest, payload: EngagementIn) -> Any:
    return Status(201, do_create_engagement(acting_user=request.user, **payload.dict()))


@router.get("/engagements/{engagement_id}", response=EngagementOut)
def get_engagement(request: HttpRequest, engagement_id: int) -> Any:
    return get_visible(Engagement.objects.select_related("vendor"), request.user, pk=engagement_id)


@router.patch("/engagements/{engagement_id}", response=EngagementOut)
def update_engagement(request: HttpRequest, engagement_id: int, payload: EngagementPatch) -> Any:
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    return do_update_engagement(engagement, acting_user=request.user, changes=payload.dict(exclude_unset=True))


class TransferIn(Schema):
    vendor_id: RecordId
    on: Day | None = Field(None, description="The day the previous vendor's places end (default today)")


@router.post("/engagements/{engagement_id}/transfer", response=EngagementOut)
def transfer_engagement(request: HttpRequest, engagement_id: int, payload: TransferIn) -> Any:
    """Hand the engagement to another vendor, ending every place of the previous vendor's people (audited).
    A plain PATCH of `vendor_id` is refused while people are on the team."""
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    return do_transfer_engagement(engagement, vendor_id=payload.vendor_id, on=payload.on, acting_user=request.user)


class TransitionIn(Schema):
    to: EngagementStatus = Field(description="The status to move to")
    override_reason: str = Field("", max_length=2000, description="Owner's override of activation blockers")


class BlockerOut(Schema):
    code: str
    message: str


@router.post("/engagements/{engagement_id}/transitions", response=EngagementOut)
def transition_engagement(request: HttpRequest, engagement_id: int, payload: TransitionIn) -> Any:
    """Move the engagement to status `to`; a move the lifecycle does not allow, or activation with blockers and
    no override, is refused with 422 naming `to` (one item per blocker)."""
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    with request_fields(status="to"):
        return do_transition(
            engagement, to=payload.to, override_reason=payload.override_reason, acting_user=request.user
        )


@router.get("/engagements/{engagement_id}/activation-blockers", response=list[BlockerOut])
def engagement_blockers(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    """Every blocker that keeps the engagement from becoming active on `as_of` (default today)."""
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    day = as_of or timezone.localdate()
    return Engagement.objects.filter(pk=engagement.pk).activation_blockers(day).get(engagement.pk, [])


@router.get("/engagements/{engagement_id}/open-issues", response=list[BlockerOut])
def engagement_open_issues(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    """An active engagement's open issues on `as_of` (default today): every activation blocker that holds and
    every other registered issue (e.g. `qualification_expires_in_term`); empty for other statuses."""
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    day = as_of or timezone.localdate()
    return Engagement.objects.filter(pk=engagement.pk).open_issues(day).get(engagement.pk, [])


# Agreements ------------------------------------------------------------------------------------------


class AgreementIn(Schema):
    number: str = Field(min_length=1, max_length=64)
    owner_party: str = Field(min_length=1, max_length=200)
    provider_party: str = Field(min_length=1, max_length=200)
    start_date: Day
    end_date: Day
    value: Decimal = Field(max_digits=16, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    monthly_fee: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    notice_period_days: int = Field(90, ge=0, le=3650)
    decision_lead_days: int = Field(60, ge=0, le=3650)
    auto_renewal: bool = False
    renewal_months: int = Field(12, ge=1, le=120)
    terminated_on: Day | None = None


class AgreementPatch(Schema):
    number: str | None = Field(None, min_length=1, max_length=64)
    owner_party: str | None = Field(None, min_length=1, max_length=200)
    provider_party: str | None = Field(None, min_length=1, max_length=200)
    start_date: Day | None = None
    end_date: Day | None = None
    value: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    monthly_fee: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    notice_period_days: int | None = Field(None, ge=0, le=3650)
    decision_lead_days: int | None = Field(None, ge=0, le=3650)
    auto_renewal: bool | None = None
    renewal_months: int | None = Field(None, ge=1, le=120)
    terminated_on: Day | None = None


class AgreementDocumentOut(Schema):
    id: int
    kind: DocumentKind
    sha256: str
    original_name: str


class AgreementOut(Schema):
    id: int
    engagement_id: int
    number: str
    owner_party: str
    provider_party: str
    start_date: datetime.date
    end_date: datetime.date
    value: Decimal
    currency: str
    monthly_fee: Decimal | None
    notice_period_days: int
    notice_date: datetime.date
    notice_by: datetime.date
    decision_lead_days: int
    auto_renewal: bool
    renewal_months: int
    notice_given_on: datetime.date | None
    notice_given_by_id: int | None
    notice_reason: str
    terminated_on: datetime.date | None
    as_of: datetime.date
    state: AgreementState
    advice: str
    signed: bool

    @staticmethod
    def resolve_as_of(obj: ServiceAgreement) -> datetime.date:
        return getattr(obj, "as_of", None) or timezone.localdate()

    @staticmethod
    def resolve_state(obj: ServiceAgreement) -> str:
        return str(obj.state(AgreementOut.resolve_as_of(obj)).value)

    @staticmethod
    def resolve_advice(obj: ServiceAgreement, context: dict[str, Any] | None = None) -> str:
        """What to do about the agreement, addressed to the reader: a vendor's user is not told to decide."""
        request = (context or {}).get("request")
        user = getattr(request, "user", None)
        return obj.advice(AgreementOut.resolve_as_of(obj), for_vendor=user is not None and not sees_all_vendors(user))

    @staticmethod
    def resolve_signed(obj: ServiceAgreement) -> bool:
        return ServiceAgreement.objects.filter(pk=obj.pk).signed().exists()


def _agreement(request: HttpRequest, engagement_id: int) -> ServiceAgreement:
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    return get_visible(ServiceAgreement.objects, request.user, engagement=engagement)


@router.get("/engagements/{engagement_id}/agreement", response=AgreementOut)
def get_agreement(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    """The agreement with its notice deadline (`notice_by`) and its state on `as_of` (today by default)."""
    agreement = _agreement(request, engagement_id)
    agreement.as_of = as_of  # type: ignore[attr-defined]
    return agreement


class NoticeIn(Schema):
    given_on: Day
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/engagements/{engagement_id}/agreement/notice", response=AgreementOut)
def give_notice(request: HttpRequest, engagement_id: int, payload: NoticeIn) -> Any:
    """Record notice of non-renewal: refused (422 naming `given_on`) when it is after `notice_by`."""
    agreement = _agreement(request, engagement_id)
    return do_give_notice(agreement, given_on=payload.given_on, reason=payload.reason, acting_user=request.user)


@router.post("/engagements/{engagement_id}/agreement", response={201: AgreementOut})
def create_agreement(request: HttpRequest, engagement_id: int, payload: AgreementIn) -> Any:
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    return Status(201, do_save_agreement(engagement, acting_user=request.user, changes=payload.dict()))


@router.patch("/engagements/{engagement_id}/agreement", response=AgreementOut)
def update_agreement(request: HttpRequest, engagement_id: int, payload: AgreementPatch) -> Any:
    agreement = _agreement(request, engagement_id)
    return do_save_agreement(agreement.engagement, acting_user=request.user, changes=payload.dict(exclude_unset=True))


@router.post("/engagements/{engagement_id}/agreement/documents", response={201: AgreementDocumentOut})
def attach_agreement_document(
    request: HttpRequest,
    engagement_id: int,
    file: File[UploadedFile],
    kind: Form[str] = "service_agreement",
) -> Any:
    agreement = _agreement(request, engagement_id)
    return Status(201, do_attach_signed_agreement(agreement, upload=file, kind=kind, acting_user=request.user))


class VersionIn(Schema):
    effective_from: Day
    effective_to: Day | None = None
    changes: str = Field(min_length=1, max_length=5000)
    signed_on: Day
    signed_by: str = Field(min_length=1, max_length=200)


class VersionOut(Schema):
    id: int
    number: int
    effective_from: datetime.date
    effective_to: datetime.date | None
    changes: str
    signed_on: datetime.date
    signed_by: str


@router.get("/engagements/{engagement_id}/agreement/versions", response=list[VersionOut])
def list_versions(request: HttpRequest, engagement_id: int) -> Any:
    return AgreementVersion.objects.filter(agreement=_agreement(request, engagement_id)).order_by("number")


@router.post("/engagements/{engagement_id}/agreement/versions", response={201: VersionOut})
def add_version(request: HttpRequest, engagement_id: int, payload: VersionIn) -> Any:
    agreement = _agreement(request, engagement_id)
    return Status(201, do_add_version(agreement, acting_user=request.user, **payload.dict()))


# Deliverables ----------------------------------------------------------------------------------------


class DeliverableIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    due_date: Day
    delivered_on: Day | None = None


class DeliverablePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    due_date: Day | None = None
    delivered_on: Day | None = None


class DeliverableOut(Schema):
    id: int
    engagement_id: int
    title: str
    description: str
    due_date: datetime.date
    delivered_on: datetime.date | None
    acceptance: Acceptance
    acceptance_reason: str
    decided_on: datetime.date | None
    late: bool


class AcceptanceDecisionIn(Schema):
    decision: Acceptance
    reason: str = Field("", max_length=5000)
    delivered_on: Day | None = None


@router.get("/engagements/{engagement_id}/deliverables", response=list[DeliverableOut])
@paginate(Pagination)
def list_deliverables(request: HttpRequest, engagement_id: int) -> Any:
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    return Deliverable.objects.filter(engagement=engagement).order_by("due_date", "pk")


@router.post("/engagements/{engagement_id}/deliverables", response={201: DeliverableOut})
def create_deliverable(request: HttpRequest, engagement_id: int, payload: DeliverableIn) -> Any:
    engagement = get_visible(Engagement.objects, request.user, pk=engagement_id)
    deliverable = do_save_deliverable(None, engagement=engagement, acting_user=request.user, changes=payload.dict())
    return Status(201, deliverable)


@router.get("/deliverables/{deliverable_id}", response=DeliverableOut)
def get_deliverable(request: HttpRequest, deliverable_id: int) -> Any:
    return get_visible(Deliverable.objects, request.user, pk=deliverable_id)


@router.patch("/deliverables/{deliverable_id}", response=DeliverableOut)
def update_deliverable(request: HttpRequest, deliverable_id: int, payload: DeliverablePatch) -> Any:
    deliverable = get_visible(Deliverable.objects.select_related("engagement"), request.user, pk=deliverable_id)
    return do_save_deliverable(
        deliverable,
        engagement=deliverable.engagement,
        acting_user=request.user,
        changes=payload.dict(exclude_unset=True),
    )


@router.post("/deliverables/{deliverable_id}/acceptance", response=DeliverableOut)
def decide_deliverable(request: HttpRequest, deliverable_id: int, payload: AcceptanceDecisionIn) -> Any:
    deliverable = get_visible(Deliverable.objects.select_related("engagement"), request.user, pk=deliverable_id)
    return do_decide_deliverable(
        deliverable,
        decision=payload.decision,
        reason=payload.reason,
        delivered_on=payload.delivered_on,
        acting_user=request.user,
    )
