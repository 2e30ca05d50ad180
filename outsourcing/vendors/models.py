from __future__ import annotations

from django.core.validators import MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet

from .choices import REEXAMINATION_MONTHS, REEXAMINATION_MONTHS_UNSET, STATUS_TONE, RiskTier, VendorStatus
from .registration import validate_registration_number


class VendorQuerySet(VendorScopedQuerySet):
    vendor_lookup = "pk"


class Vendor(VendorOwned, models.Model):
    """A company the owner outsources work to (or considers doing so): its legal identity and standing."""

    vendor_maintained = True  # a vendor's own users keep the company profile up to date

    name = models.CharField(_("legal name"), max_length=200, validators=[MinLengthValidator(1)])
    english_name = models.CharField(_("English name"), max_length=200, blank=True)
    registration_number = models.CharField(
        _("registration number"),
        max_length=64,
        unique=True,
        help_text=_("The company's official registration number, e.g. the unified social credit code."),
    )
    country = CountryField(_("country"))
    address = models.CharField(_("address"), max_length=500, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VendorStatus.choices, default=VendorStatus.PROSPECTIVE
    )
    risk_tier = models.CharField(
        _("risk tier"),
        max_length=16,
        choices=RiskTier.choices,
        blank=True,
        help_text=_("Sets how often the vendor's management system is examined again (set by the owner)."),
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        indexes = [models.Index(fields=["status", "name"]), models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.name

    @property
    def owning_vendor_id(self) -> int | None:
        return self.pk

    @property
    def status_tone(self) -> str:
        return STATUS_TONE[VendorStatus(self.status)]

    @property
    def reexamination_months(self) -> int:
        """Months within which a completed management-system assessment still counts for this vendor."""
        if not self.risk_tier:
            return REEXAMINATION_MONTHS_UNSET
        return REEXAMINATION_MONTHS[RiskTier(self.risk_tier)]

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        self.registration_number = self.registration_number.strip()
        if str(self.country or "") == "CN":  # a credit code is written in capitals; accept it typed in lower case
            self.registration_number = self.registration_number.upper()
        validate_registration_number(str(self.country or ""), self.registration_number)


class VendorContact(VendorOwned, models.Model):
    """A person at a vendor the owner deals with: account manager, project lead, escalation contact."""

    vendor_maintained = True

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    objects = VendorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name
