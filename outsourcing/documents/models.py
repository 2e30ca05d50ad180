from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet

from .choices import DocumentKind, FileType


def _storage_path(instance: Document, filename: str) -> str:
    # Random names: the original name is kept in the record, never trusted as a path.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Document(VendorOwned, models.Model):
    """An evidence file attached to a record (a member's contract, a certificate, a signed agreement).

    Kept outside the web root and served only through a permission check; its SHA-256 proves it unchanged.
    Visibility follows the vendor it belongs to (none: the owner's own document).
    """

    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    file = models.FileField(upload_to=_storage_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("file type"), max_length=100, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField(_("description"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = VendorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def vendor_maintained(self) -> bool:  # type: ignore[override]
        return bool(getattr(self.subject, "vendor_maintained", False))

    @classmethod
    def for_object(cls, obj: models.Model) -> models.QuerySet[Document]:
        return cls.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.pk, "kind": self.kind, "sha256": self.sha256, "name": self.original_name}
