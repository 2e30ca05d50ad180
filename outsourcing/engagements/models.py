from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet

from .choices import STATUS_TONE, EngagementForm, EngagementStatus


class Engagement(VendorOwned, models.Model):
    """One outsourced piece of work under a service agreement with one vendor, in one of the five forms.

    The stability thresholds decide who may work on it (operation-and-maintenance work sets them higher).
    """

    code = models.CharField(_("code"), max_length=32, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("outsourcing form"), max_length=20, choices=EngagementForm.choices)
    vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EngagementStatus.choices, default=EngagementStatus.DRAFT
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    is_operations_maintenance = models.BooleanField(
        _("operation and maintenance"),
        default=False,
        help_text=_("Operation-and-maintenance work needs a more stable team: set higher thresholds."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    min_tenure_months = models.PositiveSmallIntegerField(
        _("minimum tenure (months)"),
        default=12,
        validators=[MaxValueValidator(600)],
        help_text=_("A participant qualifies with at least this many full months at the vendor…"),
    )
    min_experience_months = models.PositiveSmallIntegerField(
        _("minimum experience (months)"),
        default=24,
        validators=[MinValueValidator(0), MaxValueValidator(1200)],
        help_text=_("…or with at least this many months of relevant experience, tenure included."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VendorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [models.Index(fields=["status"]), models.Index(fields=["vendor", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    @property
    def status_tone(self) -> str:
        return STATUS_TONE[EngagementStatus(self.status)]

    def clean(self) -> None:
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.form != EngagementForm.INSOURCING and self.vendor_id is None:
            raise ValidationError({"vendor_id": _("Choose the vendor (only insourcing has none).")})
