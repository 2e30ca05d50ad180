import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from outsourcing.core.api import Day, Pagination, RecordId, get_visible
from outsourcing.documents.choices import DocumentKind, FileType
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from .actions import (
    do_add_requirement,
    do_attach_evidence,
    do_create_qualification,
    do_delete_qualification,
    do_delete_qualification_type,
    do_reject_qualification,
    do_remove_requirement,
    do_renew_qualification,
    do_save_qualification_type,
    do_update_qualification,
    do_update_requirement,
    do_verify_qualification,
)
from .api_reading import router as reading_router
from .choices import DerivedStatus, TypeCategory, VerificationMethod, VerificationStatus
from .models import LEVEL_LIMIT, Qualification, QualificationRequirement, QualificationType
from .queries import filter_qualifications, qualification_list
from .services import qualification_gaps

router = Router(tags=["qualifications"])
router.add_router("", reading_router)


# Catalogue --------------------------------------------------------------------------------


class DocumentOut(Schema):
    """A stored evidence file; download it from GET /documents/{id}."""

    id: int
    kind: DocumentKind
    sha256: str
    original_name: str
    mime_type: FileType
    size: int
    uploaded_at: datetime.datetime


class QualificationTypeOut(Schema):
    id: int
    code: str
    name: str
    category: TypeCategory
    has_levels: bool
    min_level: int | None
    max_level: int | None
    description: str


class QualificationTypeIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    category: TypeCategory = TypeCategory.OTHER
    has_levels: bool = False
    min_level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)
    max_level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)
    description: str = Field("", max_length=2000)


class QualificationTypePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    category: TypeCategory | None = None
    has_levels: bool | None = None
    min_level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)
    max_level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)
    description: str | None = Field(None, max_length=2000)


@router.get("/qualification-types", response=list[QualificationTypeOut])
@paginate(Pagination)
def list_qualification_types(request: HttpRequest) -> Any:
    """The catalogue of qualification types (levels: a higher number is the higher grade)."""
    return QualificationType.objects.order_by("category", "code")


@router.post("/qualification-types", response={201: QualificationTypeOut})
def create_qualification_type(request: HttpRequest, payload: QualificationTypeIn) -> Any:
    """Add a type to the catalogue (admins only)."""
    return Status(201, do_save_qualification_type(None, acting_user=request.user, changes=payload.dict()))


@router.patch("/qualification-types/{code}", response=QualificationTypeOut)
def update_qualification_type(request: HttpRequest, code: str, payload: QualificationTypePatch) -> Any:
    qtype = QualificationType.objects.filter(code=code).first()
    if qtype is None:
        raise Http404
    return do_save_qualification_type(qtype, acting_user=request.user, changes=payload.dict(exclude_unset=True))


@router.delete("/qualification-types/{code}", response={204: None})
def delete_qualification_type(request: HttpRequest, code: str) -> Any:
    """Remove an unused type (admins only); a type in use is refused (422)."""
    qtype = QualificationType.objects.filter(code=code).first()
    if qtype is None:
        raise Http404
    do_delete_qualification_type(qtype, acting_user=request.user)
    return Status(204, None)


# Qualifications --------------------------------------------------------------------------------


class QualificationOut(Schema):
    id: int
    vendor_id: int
    type_code: str
    type_name: str
    level: int | None
    number: str
    issuer: str
    scope: str
    valid_from: datetime.date
    valid_until: datetime.date
    verification_status: VerificationStatus
    verified_by: str | None
    verified_at: datetime.datetime | None
    verification_note: str
    verification_method: VerificationMethod | Literal[""]
    verification_reference: str
    supersedes_id: int | None
    superseded_by_id: int | None
    status: DerivedStatus = Field(
        description="Derived today: valid, expiring, expired, not_yet_valid, unverified, rejected"
    )
    counts_today: bool
    documents: list[DocumentOut]

    @staticmethod
    def resolve_type_code(obj: Qualification) -> str:
        return obj.type.code

    @staticmethod
    def resolve_type_name(obj: Qualification) -> str:
        return obj.type.name

    @staticmethod
    def resolve_verified_by(obj: Qualification) -> str | None:
        return obj.verified_by.username if obj.verified_by else None

    @staticmethod
    def resolve_superseded_by_id(obj: Qualification) -> int | None:
        renewal = getattr(obj, "superseded_by", None)
        return renewal.pk if renewal else None

    @staticmethod
    def resolve_status(obj: Qualification) -> str:
        return str(obj.status)

    @staticmethod
    def resolve_documents(obj: Qualification) -> list[Any]:
        return list(obj.documents.all())


class QualificationIn(Schema):
    type_code: str = Field(min_length=1, max_length=40)
    level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)
    number: str = Field(min_length=1, max_length=100)
    issuer: str = Field(min_length=1, max_length=200)
    scope: str = Field("", max_length=2000)
    valid_from: Day
    valid_until: Day
    supersedes_id: RecordId | None = Field(None, description="The certificate this one renews")


class RenewalIn(Schema):
    level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)
    number: str = Field(min_length=1, max_length=100)
    issuer: str = Field(min_length=1, max_length=200)
    scope: str = Field("", max_length=2000)
    valid_from: Day
    valid_until: Day


class QualificationPatch(Schema):
    type_code: str | None = Field(None, min_length=1, max_length=40)
    level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)
    number: str | None = Field(None, min_length=1, max_length=100)
    issuer: str | None = Field(None, min_length=1, max_length=200)
    scope: str | None = Field(None, max_length=2000)
    valid_from: Day | None = None
    valid_until: Day | None = None


class RejectIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class VendorQualificationFilter(Schema):
    """The filters of one vendor's qualifications (the vendor is the address's)."""

    q: str | None = Field(None, max_length=200, description="Search number, issuer and vendor name")
    type_code: str | None = Field(None, max_length=40)
    status: DerivedStatus | None = None
    verification: VerificationStatus | None = None
    current: bool | None = Field(None, description="Only certificates not superseded by a renewal")
    sort: str | None = Field(None, max_length=40)


class QualificationFilter(VendorQualificationFilter):
    """The filters of every qualification the caller may see: one vendor's with `vendor_id`."""

    vendor_id: RecordId | None = None


def _listed(request: HttpRequest, filters: VendorQualificationFilter, **fixed: Any) -> Any:
    params = {**filters.dict(), **fixed}
    return (
        filter_qualifications(qualification_list(request.user), **params)
        .select_related("verified_by")
        .prefetch_related("documents")
    )


def _one(request: HttpRequest, qualification_id: int) -> Qualification:
    return get_visible(
        Qualification.objects.select_related("vendor", "type", "verified_by"),
        request.user,
        pk=qualification_id,
    )


@router.get("/qualifications", response=list[QualificationOut])
@paginate(Pagination)
def list_qualifications(request: HttpRequest, filters: Query[QualificationFilter]) -> Any:
    """Every qualification the caller may see, across vendors."""
    return _listed(request, filters)


@router.get("/vendors/{vendor_id}/qualifications", response=list[QualificationOut])
@paginate(Pagination)
def list_vendor_qualifications(request: HttpRequest, vendor_id: int, filters: Query[VendorQualificationFilter]) -> Any:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=vendor_id)
    return _listed(request, filters, vendor_id=vendor.pk)


@router.post("/vendors/{vendor_id}/qualifications", response={201: QualificationOut})
def create_qualification(request: HttpRequest, vendor_id: int, payload: QualificationIn) -> Any:
    """Record a certificate the vendor holds; it waits for the owner's verification before it counts."""
    vendor = get_visible(Vendor.objects.all(), request.user, pk=vendor_id)
    qualification = do_create_qualification(vendor=vendor, acting_user=request.user, fields=payload.dict())
    return Status(201, qualification)


@router.get("/qualifications/{qualification_id}", response=QualificationOut)
def get_qualification(request: HttpRequest, qualification_id: int) -> Any:
    return _one(request, qualification_id)


@router.patch("/qualifications/{qualification_id}", response=QualificationOut)
def update_qualification(request: HttpRequest, qualification_id: int, payload: QualificationPatch) -> Any:
    """Change a certificate's facts; a vendor user's change to a verified one sends it back to pending."""
    qualification = _one(request, qualification_id)
    return do_update_qualification(qualification, acting_user=request.user, changes=payload.dict(exclude_unset=True))


@router.delete("/qualifications/{qualification_id}", response={204: None})
def delete_qualification(request: HttpRequest, qualification_id: int) -> Any:
    do_delete_qualification(_one(request, qualification_id), acting_user=request.user)
    return Status(204, None)


class VerifyIn(Schema):
    method: VerificationMethod | Literal[""] = Field(
        "", max_length=20, description="issuer_register, original_seen or certified_copy"
    )
    reference: str = Field("", max_length=200, description="E.g. the register's query number")
    note: str = Field("", max_length=1000)


@router.post("/qualifications/{qualification_id}/verify", response=QualificationOut)
def verify_qualification(request: HttpRequest, qualification_id: int, payload: VerifyIn) -> Any:
    """The owner's staff confirm the certificate (admins and managers only): how it was checked (`method`), a
    `reference`, and at least one evidence file on it; 422 naming `method`, `reference` or `documents`."""
    return do_verify_qualification(_one(request, qualification_id), acting_user=request.user, **payload.dict())


@router.post("/qualifications/{qualification_id}/reject", response=QualificationOut)
def reject_qualification(request: HttpRequest, qualification_id: int, payload: RejectIn) -> Any:
    """The owner's staff refuse the certificate, saying why (admins and managers only)."""
    return do_reject_qualification(_one(request, qualification_id), acting_user=request.user, reason=payload.reason)


@router.post("/qualifications/{qualification_id}/renew", response={201: QualificationOut})
def renew_qualification(request: HttpRequest, qualification_id: int, payload: RenewalIn) -> Any:
    """Record the renewed certificate; it supersedes this one."""
    old = _one(request, qualification_id)
    return Status(201, do_renew_qualification(old, acting_user=request.user, fields=payload.dict()))


@router.post("/qualifications/{qualification_id}/documents", response={201: DocumentOut})
def upload_qualification_document(
    request: HttpRequest,
    qualification_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008 (ninja declares multipart parts this way)
    kind: str = Form(DocumentKind.QUALIFICATION_CERTIFICATE, max_length=40),
) -> Any:
    """Attach evidence (multipart `file`; PDF, PNG, JPEG, DOCX or XLSX). A refused file leaves nothing."""
    qualification = _one(request, qualification_id)
    if kind != DocumentKind.QUALIFICATION_CERTIFICATE:
        raise ValidationError({"kind": _("Evidence of a qualification is of kind qualification_certificate.")})
    return Status(201, do_attach_evidence(qualification, acting_user=request.user, upload=file))


# Requirements and gaps --------------------------------------------------------------------------------


class RequirementIn(Schema):
    type_code: str = Field(min_length=1, max_length=40)
    min_level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)


class RequirementPatch(Schema):
    min_level: int | None = Field(None, ge=0, le=LEVEL_LIMIT)


class RequirementOut(Schema):
    id: int
    engagement_id: int
    type_code: str
    type_name: str
    min_level: int | None

    @staticmethod
    def resolve_type_code(obj: QualificationRequirement) -> str:
        return obj.type.code

    @staticmethod
    def resolve_type_name(obj: QualificationRequirement) -> str:
        return obj.type.name


class GapsOut(Schema):
    met: list[str]
    missing: list[str]


def _engagement(request: HttpRequest, engagement_id: int) -> Engagement:
    return get_visible(Engagement.objects.all(), request.user, pk=engagement_id)


@router.get("/engagements/{engagement_id}/requirements", response=list[RequirementOut])
@paginate(Pagination)
def list_requirements(request: HttpRequest, engagement_id: int) -> Any:
    engagement = _engagement(request, engagement_id)
    return QualificationRequirement.objects.filter(engagement=engagement).select_related("type")


@router.post("/engagements/{engagement_id}/requirements", response={201: RequirementOut})
def add_requirement(request: HttpRequest, engagement_id: int, payload: RequirementIn) -> Any:
    """Require a qualification type (for types with levels, a minimum level) of the engagement's vendor."""
    engagement = _engagement(request, engagement_id)
    requirement = do_add_requirement(
        engagement, acting_user=request.user, type_code=payload.type_code, min_level=payload.min_level
    )
    return Status(201, requirement)


def _requirement(request: HttpRequest, requirement_id: int) -> QualificationRequirement:
    return get_visible(
        QualificationRequirement.objects.select_related("type", "engagement"), request.user, pk=requirement_id
    )


@router.patch("/qualification-requirements/{requirement_id}", response=RequirementOut)
def update_requirement(request: HttpRequest, requirement_id: int, payload: RequirementPatch) -> Any:
    return do_update_requirement(
        _requirement(request, requirement_id), acting_user=request.user, min_level=payload.min_level
    )


@router.delete("/qualification-requirements/{requirement_id}", response={204: None})
def remove_requirement(request: HttpRequest, requirement_id: int) -> Any:
    do_remove_requirement(_requirement(request, requirement_id), acting_user=request.user)
    return Status(204, None)


@router.get("/engagements/{engagement_id}/qualification-gaps", response=GapsOut)
def engagement_qualification_gaps(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    """Type codes of the requirements the engagement's vendor meets and misses on `as_of` (default today)."""
    engagement = _engagement(request, engagement_id)
    met, missing = qualification_gaps(engagement, as_of or timezone.localdate())
    return {"met": met, "missing": missing}
