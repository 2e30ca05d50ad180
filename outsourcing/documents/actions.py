"""Attaching and removing evidence files: the one path every upload takes (UI, API, imports)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from outsourcing.core.access import ensure_can_change
from outsourcing.core.audit import acting_as

from .choices import DocumentKind
from .filetypes import sniff
from .models import Document


def validate_upload(upload: UploadedFile | None) -> tuple[str, str, int]:
    """Check size and real type; return (mime type, sha256, size) or raise naming the `file` field."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {"file": _("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {"size": size, "limit": limit}}
        )
    mime = sniff(upload.file) if upload.file is not None else None
    if mime is None:
        raise ValidationError({"file": _("Only PDF, PNG, JPEG, DOCX and XLSX files are accepted.")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return str(mime), digest.hexdigest(), size


def do_attach_document(
    subject: models.Model,
    *,
    upload: UploadedFile | None,
    kind: str,
    acting_user: Any,
    description: str = "",
) -> Document:
    """Attach a file to `subject`. A refused file leaves nothing behind: no record, no stored bytes."""
    ensure_can_change(acting_user, subject)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document kind %(kind)s.") % {"kind": kind}})
    if len(description) > 500:
        raise ValidationError({"description": _("At most 500 characters.")})
    mime, sha256, size = validate_upload(upload)
    assert upload is not None
    from django.contrib.contenttypes.models import ContentType

    document = Document(
        vendor_id=getattr(subject, "owning_vendor_id", None),
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        original_name=(upload.name or "file")[-255:],
        mime_type=mime,
        size=size,
        sha256=sha256,
        description=description,
        uploaded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    stored_name = None
    try:
        with transaction.atomic(), acting_as(acting_user):
            document.file.save(upload.name or "file", upload, save=False)
            stored_name = document.file.name
            document.save()
    except Exception:
        if stored_name:
            document.file.storage.delete(stored_name)
        raise
    return document


@transaction.atomic
def do_delete_document(document: Document, *, acting_user: Any) -> None:
    ensure_can_change(acting_user, document.subject)
    name = document.file.name or ""
    with acting_as(acting_user):
        document.delete()
    transaction.on_commit(lambda: document.file.storage.delete(name))
