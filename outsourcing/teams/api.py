import datetime
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.accounts.models import User
from outsourcing.core import registry
from outsourcing.core.access import ensure_can_change, sees_all_vendors
from outsourcing.core.api import Day, Pagination, RecordId, get_visible
from outsourcing.documents.choices import DocumentKind
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from .actions import (
    do_acknowledge_change,
    do_add_to_team,
    do_approve_replacement,
    do_create_member,
    do_end_assignment,
    do_grant_waiver,
    do_propose_replacement,
    do_reject_replacement,
    do_revoke_waiver,
    do_update_member,
)
from .api_booking import router as booking_router
from .api_forecast import router as forecast_router
from .choices import EmploymentType, ImportStatus, LeaveReason, Reason, ReplacementStatus, TeamSide
from .eligibility import evaluate_members, evaluate_team
from .imports import do_retry_roster_import, do_start_roster_import
from .models import ImportJob, Replacement, TeamAssignment, TeamMember, Waiver
from .queries import filter_members
from .stability import team_metrics, vendor_stability

router = Router(tags=["teams"])
router.add_router("", forecast_router)
router.add_router("", booking_router)


class MemberIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    employee_number: str = Field("", max_length=64)
    employment_type: EmploymentType
    title: str = Field("", max_length=200)
    hire_date: Day
    probation_end_date: Day | None = None
    left_date: Day | None = None
    prior_experience_months: int = Field(0, ge=0, le=600)
    identity_number: str | None = Field(
        None, max_length=64, description="Resident identity card or passport number: kept only as a keyed hash."
    )


class MemberPatch(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=200)
    employee_number: str | None = Field(None, max_length=64)
    employment_type: EmploymentType | None = None
    title: str | None = Field(None, max_length=200)
    hire_date: Day | None = None
    probation_end_date: Day | None = None
    left_date: Day | None = None
    prior_experience_months: int | None = Field(None, ge=0, le=600)
    identity_number: str | None = Field(None, max_length=64, description="Empty to remove it.")


class MemberOut(Schema):
    id: int
    vendor_id: int
    full_name: str
    employee_number: str
    employment_type: EmploymentType
    title: str
    hire_date: datetime.date
    probation_end_date: datetime.date | None
    left_date: datetime.date | None
    prior_experience_months: int
    identity_last4: str = Field(description="The last four characters of the identity number, if one is on file.")


class MemberFilter(Schema):
    q: str | None = Field(None, max_length=200)
    employment_type: EmploymentType | None = None
    status: str | None = Field(None, pattern="^(employed|left)$")
    sort: str | None = Field(None, max_length=40)


class MemberDocumentOut(Schema):
    id: int
    kind: DocumentKind
    sha256: str
    original_name: str
    size: int


class RetentionPoint(Schema):
    days: int
    survival: float | None


class StabilityOut(Schema):
    start: datetime.date
    end: datetime.date
    headcount_start: int
    headcount_end: int
    separations: int
    average_headcount: float
    turnover_rate: float | None
    average_tenure_days: float | None
    retention: list[RetentionPoint]


class AssignmentIn(Schema):
    member_id: RecordId | None = None
    role: str = Field(min_length=1, max_length=100)
    key_person: bool = False
    start_date: Day
    side: TeamSide = TeamSide.VENDOR
    owner_user_id: RecordId | None = None
    owner_name: str = Field("", max_length=200)
    allocation_percent: int = Field(100, ge=1, le=100)


class AssignmentEnd(Schema):
    end_date: Day
    leave_reason: LeaveReason


class AssignmentOut(Schema):
    id: int
    engagement_id: int
    member_id: int | None
    side: TeamSide
    owner_user_id: int | None
    owner_name: str
    person_name: str
    role: str
    key_person: bool
    allocation_percent: int
    start_date: datetime.date
    end_date: datetime.date | None
    leave_reason: LeaveReason | Literal[""]
    acknowledged: bool


class VerdictOut(Schema):
    member_id: int
    eligible: bool
    waived: bool
    reasons: list[Reason]


class EligibilityOut(Schema):
    as_of: datetime.date
    members: list[VerdictOut]


class WaiverIn(Schema):
    member_id: RecordId
    justification: str = Field(min_length=10, max_length=2000)
    valid_from: Day | None = None
    valid_until: Day


class WaiverOut(Schema):
    id: int
    engagement_id: int
    member_id: int
    justification: str
    valid_from: datetime.date
    valid_until: datetime.date
    granted_by_id: int | None
    revoked_at: datetime.datetime | None


class ReplacementIn(Schema):
    outgoing_id: RecordId
    successor_id: RecordId
    reason: str = Field(min_length=3, max_length=1000)
    effective_date: Day


class ReplacementDecisionIn(Schema):
    note: str = Field("", max_length=1000)


class ReplacementOut(Schema):
    id: int
    engagement_id: int
    outgoing_id: int
    successor_id: int
    reason: str
    effective_date: datetime.date
    key_person: bool
    status: ReplacementStatus
    decision_note: str
    new_assignment_id: int | None
    successor_eligibility: VerdictOut | None = None


class TeamMetricsOut(Schema):
    start: datetime.date
    end: datetime.date
    size_start: int
    size_end: int
    average_size: float
    left_team: int
    replacement_rate: float | None
    changes: int
    unacknowledged_changes: int
    average_tenure_days: float | None
    evaluated: int
    eligible: int
    eligible_share: float | None


class RowErrorOut(Schema):
    line: int = Field(description="The row as a person counts it: the header is line 1.")
    field: str = Field(description="The column")
    msg: str


class ImportJobOut(Schema):
    id: int
    vendor_id: int
    original_name: str
    status: ImportStatus
    total_rows: int
    processed_rows: int
    created_count: int
    updated_count: int
    unchanged_count: int
    errors: list[RowErrorOut] = Field(description="The first row errors.")
    error_count: int = Field(description="How many row errors there were in all.")
    attempts: int


def _member_of(engagement: Engagement, member_id: int | None, field: str, user: Any) -> TeamMember | None:
    if member_id is None:
        return None
    try:
        return TeamMember.objects.visible_to(user).get(pk=member_id, vendor=engagement.vendor)
    except TeamMember.DoesNotExist as exc:
        raise ValidationError({field: _("No such person at the engagement's vendor.")}) from exc


def _successor_verdict(replacement: Replacement) -> dict[str, Any] | None:
    verdicts = evaluate_members(replacement.engagement, [replacement.successor], replacement.effective_date)
    return verdicts[0].as_dict() if verdicts else None


def _replacement_out(replacement: Replacement) -> dict[str, Any]:
    data = {f: getattr(replacement, f) for f in ReplacementOut.model_fields if hasattr(replacement, f)}
    data["successor_eligibility"] = _successor_verdict(replacement)
    return data


@router.get("/vendors/{vendor_id}/members", response=list[MemberOut])
@paginate(Pagination)
def list_members(request: HttpRequest, vendor_id: int, filters: Query[MemberFilter]) -> Any:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=vendor_id)
    return filter_members(TeamMember.objects.visible_to(request.user).filter(vendor=vendor), **filters.dict())


@router.post("/vendors/{vendor_id}/members", response={201: MemberOut})
def create_member(request: HttpRequest, vendor_id: int, payload: MemberIn) -> Any:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=vendor_id)
    return Status(201, do_create_member(vendor=vendor, acting_user=request.user, **payload.dict()))


@router.get("/members/{member_id}", response=MemberOut)
def get_member(request: HttpRequest, member_id: int) -> Any:
    return get_visible(TeamMember.objects.all(), request.user, pk=member_id)


@router.patch("/members/{member_id}", response=MemberOut)
def update_member(request: HttpRequest, member_id: int, payload: MemberPatch) -> Any:
    member = get_visible(TeamMember.objects.all(), request.user, pk=member_id)
    return do_update_member(member, acting_user=request.user, changes=payload.dict(exclude_unset=True))


@router.post("/members/{member_id}/documents", response={201: MemberDocumentOut})
def upload_member_document(
    request: HttpRequest,
    member_id: int,
    kind: Form[str],
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Any:
    member = get_visible(TeamMember.objects.all(), request.user, pk=member_id)
    return Status(201, registry.attach_document(member, upload=file, kind=kind, acting_user=request.user))


@router.get("/vendors/{vendor_id}/stability", response=StabilityOut)
def get_stability(request: HttpRequest, vendor_id: int, start: Day | None = None, end: Day | None = None) -> Any:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=vendor_id)
    end = end or timezone.localdate()
    start = start or end - relativedelta(years=1)
    if start > end:
        raise ValidationError({"start": _("The start is after the end.")})
    return vendor_stability(vendor.pk, start, end).as_dict()


@router.post("/vendors/{vendor_id}/roster-imports", response={201: ImportJobOut})
def start_roster_import(request: HttpRequest, vendor_id: int, file: File[UploadedFile] = None) -> Any:  # type: ignore[assignment]
    vendor = get_visible(Vendor.objects.all(), request.user, pk=vendor_id)
    return Status(201, do_start_roster_import(vendor, upload=file, acting_user=request.user))


@router.get("/roster-imports/{job_id}", response=ImportJobOut)
def get_roster_import(request: HttpRequest, job_id: int) -> Any:
    return get_visible(ImportJob.objects.all(), request.user, pk=job_id)


@router.post("/roster-imports/{job_id}/retry", response=ImportJobOut)
def retry_roster_import(request: HttpRequest, job_id: int) -> Any:
    job = get_visible(ImportJob.objects.select_related("vendor"), request.user, pk=job_id)
    return do_retry_roster_import(job, acting_user=request.user)


@router.get("/engagements/{engagement_id}/team", response=list[AssignmentOut])
@paginate(Pagination)
def list_team(request: HttpRequest, engagement_id: int) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    return (
        TeamAssignment.objects.visible_to(request.user)
        .filter(engagement=engagement)
        .select_related("member", "owner_user")
    )


@router.post("/engagements/{engagement_id}/team", response={201: AssignmentOut})
def add_to_team(request: HttpRequest, engagement_id: int, payload: AssignmentIn) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    owner_user = None
    if payload.owner_user_id is not None:
        if not sees_all_vendors(request.user):
            raise ValidationError({"owner_user_id": _("Only the owner names its own staff.")})
        owner_user = User.objects.filter(pk=payload.owner_user_id, vendor__isnull=True).first()
        if owner_user is None:
            raise ValidationError({"owner_user_id": _("No such owner's staff user.")})
    assignment = do_add_to_team(
        engagement,
        acting_user=request.user,
        member=_member_of(engagement, payload.member_id, "member_id", request.user),
        role=payload.role,
        key_person=payload.key_person,
        start_date=payload.start_date,
        side=payload.side,
        owner_user=owner_user,
        owner_name=payload.owner_name,
        allocation_percent=payload.allocation_percent,
    )
    return Status(201, assignment)


@router.post("/assignments/{assignment_id}/end", response=AssignmentOut)
def end_assignment(request: HttpRequest, assignment_id: int, payload: AssignmentEnd) -> Any:
    assignment = get_visible(TeamAssignment.objects.all(), request.user, pk=assignment_id)
    return do_end_assignment(
        assignment, acting_user=request.user, end_date=payload.end_date, leave_reason=payload.leave_reason
    )


@router.post("/assignments/{assignment_id}/acknowledge", response=AssignmentOut)
def acknowledge_assignment(request: HttpRequest, assignment_id: int) -> Any:
    assignment = get_visible(TeamAssignment.objects.all(), request.user, pk=assignment_id)
    return do_acknowledge_change(assignment, acting_user=request.user)


@router.get("/engagements/{engagement_id}/eligibility", response=EligibilityOut)
def get_eligibility(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    as_of = as_of or timezone.localdate()
    return {"as_of": as_of, "members": [v.as_dict() for v in evaluate_team(engagement, as_of)]}


@router.get("/engagements/{engagement_id}/team-metrics", response=TeamMetricsOut)
def get_team_metrics(
    request: HttpRequest,
    engagement_id: int,
    start: Day | None = None,
    end: Day | None = None,
) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    end = end or timezone.localdate()
    start = start or engagement.start_date
    if start > end:
        raise ValidationError({"start": _("The start is after the end.")})
    return team_metrics(engagement, start, end).as_dict()


@router.get("/engagements/{engagement_id}/waivers", response=list[WaiverOut])
@paginate(Pagination)
def list_waivers(request: HttpRequest, engagement_id: int) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    return Waiver.objects.visible_to(request.user).filter(engagement=engagement)


@router.post("/engagements/{engagement_id}/waivers", response={201: WaiverOut})
def grant_waiver(request: HttpRequest, engagement_id: int, payload: WaiverIn) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    member = _member_of(engagement, payload.member_id, "member_id", request.user)
    assert member is not None
    waiver = do_grant_waiver(
        engagement,
        member=member,
        acting_user=request.user,
        justification=payload.justification,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, waiver)


@router.post("/waivers/{waiver_id}/revoke", response=WaiverOut)
def revoke_waiver(request: HttpRequest, waiver_id: int) -> Any:
    waiver = get_visible(Waiver.objects.all(), request.user, pk=waiver_id)
    return do_revoke_waiver(waiver, acting_user=request.user)


@router.get("/engagements/{engagement_id}/replacements", response=list[ReplacementOut])
@paginate(Pagination)
def list_replacements(request: HttpRequest, engagement_id: int) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    return Replacement.objects.visible_to(request.user).filter(engagement=engagement)


@router.post("/engagements/{engagement_id}/replacements", response={201: ReplacementOut})
def propose_replacement(request: HttpRequest, engagement_id: int, payload: ReplacementIn) -> Any:
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    ensure_can_change(request.user, Replacement(engagement=engagement))  # 403 before judging the body
    outgoing = TeamAssignment.objects.filter(engagement=engagement, pk=payload.outgoing_id).first()
    if outgoing is None:
        raise ValidationError({"outgoing_id": _("No such place on this engagement's team.")})
    successor = _member_of(engagement, payload.successor_id, "successor_id", request.user)
    assert successor is not None
    replacement = do_propose_replacement(
        engagement,
        outgoing=outgoing,
        successor=successor,
        reason=payload.reason,
        effective_date=payload.effective_date,
        acting_user=request.user,
    )
    return Status(201, _replacement_out(replacement))


@router.get("/replacements/{replacement_id}", response=ReplacementOut)
def get_replacement(request: HttpRequest, replacement_id: int) -> Any:
    return _replacement_out(get_visible(Replacement.objects.all(), request.user, pk=replacement_id))


@router.post("/replacements/{replacement_id}/approve", response=ReplacementOut)
def approve_replacement(request: HttpRequest, replacement_id: int, payload: ReplacementDecisionIn) -> Any:
    replacement = get_visible(Replacement.objects.all(), request.user, pk=replacement_id)
    return _replacement_out(do_approve_replacement(replacement, acting_user=request.user, note=payload.note))


@router.post("/replacements/{replacement_id}/reject", response=ReplacementOut)
def reject_replacement(request: HttpRequest, replacement_id: int, payload: ReplacementDecisionIn) -> Any:
    replacement = get_visible(Replacement.objects.all(), request.user, pk=replacement_id)
    return _replacement_out(do_reject_replacement(replacement, acting_user=request.user, note=payload.note))
