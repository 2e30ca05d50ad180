from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.validators import MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from outsourcing.core import registry
from outsourcing.core.access import VendorOwned, VendorScopedQuerySet
from outsourcing.core.versioning import Versioned

from .choices import REEXAMINATION_MONTHS, REEXAMINATION_MONTHS_UNSET, STATUS_TONE, RiskTier, VendorStatus
from .registration import validate_registration_number


def new_work_blockers_of(
    vendors: list[Any], day: datetime.date, engagement: Any = None
) -> dict[int, list[registry.Blocker]]:
    """`VendorQuerySet.new_work_blockers` for vendors already loaded (no query to load them again)."""
    return {pk: found for pk, found in registry.vendor_blockers_of(vendors, engagement, day).items() if found}


class VendorQuerySet(VendorScopedQuerySet):
    vendor_lookup = "pk"

    def new_work_blockers(self, day: datetime.date, engagement: Any = None) -> dict[int, list[registry.Blocker]]:
        """What forbids choosing each of these vendors for new work on `day` (for `engagement`, when given):
        its status (suspended or blocked), its long-term standing and every other registered vendor blocker.
        The one answer to "may this vendor get new work?", asked by engagements, comparisons and processing
        orders alike; a fixed number of queries whatever the number of vendors."""
        return new_work_blockers_of(list(self.only("pk", "status", "name")), day, engagement)

    def open_for_new_work(self, day: datetime.date, engagement: Any = None) -> VendorQuerySet:
        """These vendors without a blocker for new work on `day` (see `new_work_blockers`)."""
        return self.exclude(pk__in=list(self.new_work_blockers(day, engagement)))


class Vendor(VendorOwned, Versioned):
    """A company the owner outsources work to (or considers doing so): its legal identity and standing."""

    vendor_maintained = True  # a vendor's own users keep the company profile up to date
    # How the search box and the type-ahead pickers find a vendor (core.pickers.matching).
    search_lookups = ("name__icontains", "english_name__icontains", "registration_number__istartswith")

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
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["country"]),
            # By name (every vendor picker and filter, the qualification list's default order) without sorting
            # all 10,000 vendors per request.
            models.Index(fields=["name", "id"], name="vendor_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def picker_label(self) -> str:
        """The name, and the status when it forbids new work (what a picker shows)."""
        if self.status in (VendorStatus.BLOCKED, VendorStatus.SUSPENDED):
            return f"{self.name} ({self.get_status_display()})"
        return self.name

    @property
    def owning_vendor_id(self) -> int | None:
        return self.pk

    @property
    def status_tone(self) -> str:
        return STATUS_TONE[VendorStatus(self.status)]

    @property
    def reexamination_months(self) -> int:
        """Months within which a completed management-system assessment still counts for this vendor: by its
        risk tier, as the admin set them in the assessment settings (SPEC's defaults until then)."""
        cycle = reexamination_cycle()
        return cycle.get(self.risk_tier or "", REEXAMINATION_MONTHS_UNSET)

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        self.registration_number = self.registration_number.strip()
        if str(self.country or "") == "CN":  # a credit code is written in capitals; accept it typed in lower case
            self.registration_number = self.registration_number.upper()
        validate_registration_number(str(self.country or ""), self.registration_number)


def reexamination_cycle() -> dict[str, int]:
    """{risk tier ("" for none): months between two examinations}: the admin's settings, else SPEC's defaults."""
    from outsourcing.assessments.models import AssessmentSettings

    stored = AssessmentSettings.objects.filter(pk=1).first()
    if stored is None:
        return {**{str(tier): months for tier, months in REEXAMINATION_MONTHS.items()}, "": REEXAMINATION_MONTHS_UNSET}
    return stored.reexamination_months()


@dataclass(frozen=True)
class Examination:
    """When a vendor's management system was last examined and when the next examination is due."""

    last: datetime.date | None  # the day the latest completed assessment was completed
    months: int
    next_due: datetime.date | None  # None: never examined (the activation gate asks for a first one)


def examinations(vendors: Iterable[Vendor] | models.QuerySet[Vendor]) -> dict[int, Examination]:
    """{vendor id: Examination} for many vendors in two queries: the one home of "last examined / next due" for
    the vendor page, the dashboard, the reminders and the daily job that starts re-examinations. A queryset of
    vendors (every approved vendor, say) is read as (id, risk tier) pairs and filtered by as a subquery: thousands
    of Vendor objects and an IN list of their ids cost more than the rest."""
    from dateutil.relativedelta import relativedelta
    from django.db.models import Max

    from outsourcing.assessments.models import Assessment

    if isinstance(vendors, models.QuerySet):
        rows = list(vendors.values_list("pk", "risk_tier"))  # in the queryset's order, as a list keeps its own
        chosen: Any = vendors.order_by().values("pk")
    else:
        listed = list(vendors)
        rows = [(vendor.pk, vendor.risk_tier) for vendor in listed]
        chosen = [pk for pk, _tier in rows]
    cycle = reexamination_cycle()
    latest = dict(
        Assessment.objects.filter(vendor__in=chosen, status="completed", completed_at__isnull=False)
        .values("vendor_id")
        .annotate(last=Max("completed_at"))
        .values_list("vendor_id", "last")
    )
    result = {}
    for pk, risk_tier in rows:
        months = cycle.get(risk_tier or "", REEXAMINATION_MONTHS_UNSET)
        when = latest.get(pk)
        last = timezone.localdate(when) if when else None
        result[pk] = Examination(last, months, last + relativedelta(months=months) if last else None)
    return result


class VendorContact(VendorOwned, Versioned):
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
