"""Every change to qualification types, qualifications and requirements goes through these functions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import ensure_admin, ensure_can_change, ensure_owner_writer, is_owner_writer
from outsourcing.core.audit import acting_as
from outsourcing.documents.actions import do_attach_document, do_delete_document
from outsourcing.documents.choices import DocumentKind
from outsourcing.documents.models import Document

from .choices import VerificationStatus
from .models import Qualification, QualificationRequirement, QualificationType
from .tasks import request_reading

TYPE_FIELDS = ("code", "name", "category", "has_levels", "min_level", "max_level", "description")
# The facts of a certificate: a vendor user changing any of them after verification sends it back to pending.
FACT_FIELDS = ("type", "level", "number", "issuer", "scope", "valid_from", "valid_until")


def _apply(obj: Any, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for field, value in changes.items():
        if field not in allowed:
            raise ValidationError({field: _("This field cannot be set here.")})
        setattr(obj, field, value)


def type_by_code(code: Any, field: str = "type_code") -> QualificationType:
    """The catalogued type with this code, or a 422 naming `field`."""
    try:
        return QualificationType.objects.get(code=str(code or ""))
    except QualificationType.DoesNotExist as exc:
        raise ValidationError({field: _("Unknown qualification type %(code)s.") % {"code": code or "—"}}) from exc


def _resolve(changes: dict[str, Any]) -> dict[str, Any]:
    """Turn API/form names (type_code, supersedes_id) into model values."""
    changes = dict(changes)
    if "type_code" in changes:
        changes["type"] = type_by_code(changes.pop("type_code"))
    for text in ("number", "issuer", "scope"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    return changes


# Catalogue -----------------------------------------------------------------------------------------------


@transaction.atomic
def do_save_qualification_type(
    qtype: QualificationType | None, *, acting_user: Any, changes: dict[str, Any]
) -> QualificationType:
    ensure_admin(acting_user)
    qtype = qtype or QualificationType()
    _apply(qtype, changes, TYPE_FIELDS)
    qtype.full_clean()
    if qtype.pk:
        held = Qualification.objects.filter(type=qtype)
        required = QualificationRequirement.objects.filter(type=qtype)
        if qtype.has_levels:
            assert qtype.min_level is not None and qtype.max_level is not None
            outside = held.exclude(level__gte=qtype.min_level, level__lte=qtype.max_level).exists()
            outside = (
                outside
                or required.filter(min_level__isnull=False)
                .exclude(min_level__gte=qtype.min_level, min_level__lte=qtype.max_level)
                .exists()
            )
        else:
            outside = held.filter(level__isnull=False).exists() or required.filter(min_level__isnull=False).exists()
        if outside:
            raise ValidationError(
                {"has_levels": _("Qualifications or requirements of this type have levels outside this range.")}
            )
    with acting_as(acting_user):
        qtype.save()
    return qtype


@transaction.atomic
def do_delete_qualification_type(qtype: QualificationType, *, acting_user: Any) -> None:
    ensure_admin(acting_user)
    if qtype.qualifications.exists() or qtype.requirements.exists():
        raise ValidationError({"code": _("Qualifications or requirements use this type; it cannot be deleted.")})
    with acting_as(acting_user):
        qtype.delete()


# Qualifications --------------------------------------------------------------------------------------------


def _attach_evidence(qualification: Qualification, upload: UploadedFile | None, acting_user: Any) -> Document:
    document = do_attach_document(
        qualification, upload=upload, kind=DocumentKind.QUALIFICATION_CERTIFICATE, acting_user=acting_user
    )
    request_reading(qualification, document)  # the verifier sees what the file says, read in the background
    return document


@transaction.atomic
def do_create_qualification(
    *,
    vendor: Any,
    acting_user: Any,
    fields: dict[str, Any],
    evidence: UploadedFile | None = None,
) -> Qualification:
    """Record a certificate the vendor holds (pending verification). `supersedes_id` makes it a renewal.

    With `evidence`, the file is attached in the same transaction: a refused file leaves nothing behind.
    """
    fields = _resolve(fields)
    supersedes_id = fields.pop("supersedes_id", None)
    qualification = Qualification(vendor=vendor)
    ensure_can_change(acting_user, qualification)
    if supersedes_id is not None:
        old = Qualification.objects.visible_to(acting_user).filter(pk=supersedes_id, vendor=vendor).first()
        if old is None:
            raise ValidationError({"supersedes_id": _("No such certificate of this vendor.")})
        if hasattr(old, "superseded_by"):
            raise ValidationError({"supersedes_id": _("This certificate has already been renewed.")})
        qualification.supersedes = old
        fields.setdefault("type", old.type)
    _apply(qualification, fields, FACT_FIELDS)
    qualification.full_clean()
    with acting_as(acting_user):
        qualification.save()
    if evidence is not None:
        _attach_evidence(qualification, evidence, acting_user)
    return qualification


@transaction.atomic
def do_renew_qualification(
    old: Qualification, *, acting_user: Any, fields: dict[str, Any], evidence: UploadedFile | None = None
) -> Qualification:
    """A new certificate of the same type that supersedes `old` (which keeps its own dates and history)."""
    return do_create_qualification(
        vendor=old.vendor,
        acting_user=acting_user,
        fields={**fields, "supersedes_id": old.pk},
        evidence=evidence,
    )


def _back_to_pending(qualification: Qualification) -> None:
    qualification.verification_status = VerificationStatus.PENDING
    qualification.verified_by = None
    qualification.verified_at = None
    qualification.verification_note = ""


@transaction.atomic
def do_update_qualification(
    qualification: Qualification, *, acting_user: Any, changes: dict[str, Any]
) -> Qualification:
    """Change a certificate's facts. A vendor user changing a verified (or rejected) one sends it back to
    pending: the owner must look at it again."""
    ensure_can_change(acting_user, qualification)
    changes = _resolve(changes)
    before = {field: getattr(qualification, field) for field in FACT_FIELDS}
    _apply(qualification, changes, FACT_FIELDS)
    changed = any(getattr(qualification, field) != value for field, value in before.items())
    if changed and not is_owner_writer(acting_user):
        _back_to_pending(qualification)
    qualification.full_clean()
    with acting_as(acting_user):
        qualification.save()
    return qualification


@transaction.atomic
def do_attach_evidence(qualification: Qualification, *, acting_user: Any, upload: UploadedFile | None) -> Document:
    """Add an evidence file. New evidence from a vendor user is a new fact: the owner verifies again."""
    ensure_can_change(acting_user, qualification)
    document = _attach_evidence(qualification, upload, acting_user)
    if not is_owner_writer(acting_user) and qualification.verification_status != VerificationStatus.PENDING:
        _back_to_pending(qualification)
        with acting_as(acting_user):
            qualification.save()
    return document


@transaction.atomic
def do_verify_qualification(qualification: Qualification, *, acting_user: Any, note: str = "") -> Qualification:
    """The owner confirms the certificate is genuine (checked against the issuer's register, say)."""
    ensure_owner_writer(acting_user)
    if len(note) > 1000:
        raise ValidationError({"note": _("At most 1000 characters.")})
    qualification.verification_status = VerificationStatus.VERIFIED
    qualification.verified_by = acting_user if getattr(acting_user, "pk", None) else None
    qualification.verified_at = timezone.now()
    qualification.verification_note = note.strip()
    qualification.full_clean()
    with acting_as(acting_user):
        qualification.save()
    return qualification


@transaction.atomic
def do_reject_qualification(qualification: Qualification, *, acting_user: Any, reason: str) -> Qualification:
    """The owner refuses the certificate, saying why; the vendor may correct it and send it again."""
    ensure_owner_writer(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is rejected.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("At most 1000 characters.")})
    qualification.verification_status = VerificationStatus.REJECTED
    qualification.verified_by = acting_user if getattr(acting_user, "pk", None) else None
    qualification.verified_at = timezone.now()
    qualification.verification_note = reason
    qualification.full_clean()
    with acting_as(acting_user):
        qualification.save()
    return qualification


@transaction.atomic
def do_delete_qualification(qualification: Qualification, *, acting_user: Any) -> None:
    """Remove a certificate recorded in error, with its evidence. A verified one only the owner removes."""
    ensure_can_change(acting_user, qualification)
    if qualification.verification_status == VerificationStatus.VERIFIED and not is_owner_writer(acting_user):
        raise PermissionDenied(_("A verified certificate can only be removed by the owner; renew it instead."))
    for document in Document.for_object(qualification):
        do_delete_document(document, acting_user=acting_user)
    with acting_as(acting_user):
        qualification.delete()


# Requirements --------------------------------------------------------------------------------


@transaction.atomic
def do_add_requirement(
    engagement: Any, *, acting_user: Any, type_code: str, min_level: int | None = None
) -> QualificationRequirement:
    ensure_owner_writer(acting_user)
    requirement = QualificationRequirement(engagement=engagement, type=type_by_code(type_code), min_level=min_level)
    requirement.full_clean()
    with acting_as(acting_user):
        requirement.save()
    return requirement


@transaction.atomic
def do_update_requirement(
    requirement: QualificationRequirement, *, acting_user: Any, min_level: int | None
) -> QualificationRequirement:
    ensure_owner_writer(acting_user)
    requirement.min_level = min_level
    requirement.full_clean()
    with acting_as(acting_user):
        requirement.save()
    return requirement


@transaction.atomic
def do_remove_requirement(requirement: QualificationRequirement, *, acting_user: Any) -> None:
    ensure_owner_writer(acting_user)
    with acting_as(acting_user):
        requirement.delete()
