from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned
from outsourcing.core.versioning import Versioned

from .choices import (
    ACCEPTANCE_TONE,
    AGREEMENT_TONE,
    STATUS_TONE,
    Acceptance,
    AgreementState,
    EngagementForm,
    EngagementStatus,
)
from .querysets import AgreementQuerySet as AgreementStates
from .querysets import EngagementQuerySet, ThroughAgreement, ThroughEngagement

CURRENCY = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as CNY."))
NOT_NEGATIVE = MinValueValidator(Decimal(0), _("Must not be negative."))


class Engagement(VendorOwned, Versioned):
    """One outsourced piece of work under a service agreement with one vendor, in one of the five forms.

    The stability thresholds decide who may work on it (operation-and-maintenance work sets them higher).
    """

    # How the search box and the type-ahead pickers find an engagement (core.pickers.matching).
    search_lookups = ("code__icontains", "title__icontains")

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
    required_team_size = models.PositiveIntegerField(
        _("required team size"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_(
            "Optional: how many of the vendor's people the engagement needs on its team. The attrition forecast "
            "warns when the team may fall below it."
        ),
    )
    department = models.CharField(_("owning department"), max_length=200, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_engagements",
    )
    internal_unit = models.CharField(
        _("internal unit"),
        max_length=200,
        blank=True,
        help_text=_("For insourcing: the owner's own unit that acts as the provider."),
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activation overridden by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    override_reason = models.TextField(_("override reason"), max_length=2000, blank=True)
    override_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["vendor", "status"]),
            # The engagement list's default order (newest first): its page without sorting the portfolio.
            models.Index(fields=["-start_date", "id"], name="engagement_newest"),
            # By title: the engagement pickers (a comparison's, an assessment's) without sorting the portfolio.
            models.Index(fields=["title", "id"], name="engagement_by_title"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    @property
    def status_tone(self) -> str:
        return STATUS_TONE[EngagementStatus(self.status)]

    @property
    def provider_name(self) -> str:
        if self.vendor_id:
            return str(self.vendor)
        return self.internal_unit or str(_("Internal unit"))

    def clean(self) -> None:
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.form != EngagementForm.INSOURCING and self.vendor_id is None:
            raise ValidationError({"vendor_id": _("Choose the vendor (only insourcing has none).")})


class AgreementQuerySet(AgreementStates):
    """Service agreements: their deadline states (querysets.AgreementQuerySet) and their signed copies."""

    def signed(self) -> AgreementQuerySet:
        """Agreements with a signed copy on file."""
        from outsourcing.documents.choices import DocumentKind
        from outsourcing.documents.models import Document

        return self.filter(
            models.Exists(
                Document.objects.filter(
                    content_type__app_label="engagements",
                    content_type__model="serviceagreement",
                    object_id=models.OuterRef("pk"),
                    kind=DocumentKind.SERVICE_AGREEMENT,
                )
            )
        )

    def signed_covering(self, day: datetime.date) -> AgreementQuerySet:
        """Agreements with a signed copy whose term covers `day` (not terminated by then): what the activation
        gate's `no_signed_agreement` asks for."""
        return self.signed().filter(
            models.Q(terminated_on__isnull=True) | models.Q(terminated_on__gt=day),
            start_date__lte=day,
            end_date__gte=day,
        )


class ServiceAgreement(VendorOwned, Versioned):
    """The contract that governs an engagement: term, value, notice period and renewal, signed copy."""

    engagement = models.OneToOneField(
        Engagement, on_delete=models.CASCADE, related_name="agreement", verbose_name=_("engagement")
    )
    number = models.CharField(_("agreement number"), max_length=64, unique=True)
    owner_party = models.CharField(_("owner party"), max_length=200)
    provider_party = models.CharField(_("provider party"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    value = models.DecimalField(_("contract value"), max_digits=16, decimal_places=2, validators=[NOT_NEGATIVE])
    currency = models.CharField(_("currency"), max_length=3, default="CNY", validators=[CURRENCY])
    monthly_fee = models.DecimalField(
        _("monthly fee"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text=_("The fee of one month of service; service credits are a percentage of it."),
    )
    notice_period_days = models.PositiveIntegerField(
        _("notice period (days)"),
        default=90,
        validators=[MaxValueValidator(3650)],
        help_text=_("Notice of termination or non-renewal must be given this many days before the end."),
    )
    decision_lead_days = models.PositiveIntegerField(
        _("decision lead (days)"),
        default=60,
        validators=[MaxValueValidator(3650)],
        help_text=_("The decision on renewal or notice is due this many days before the notice deadline."),
    )
    auto_renewal = models.BooleanField(_("renews automatically"), default=False)
    renewal_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("An automatic renewal adds a term of this many months, with the same notice period."),
    )
    # The notice deadline (E − N) and the first day of the decision window (E − N − L), kept in step by
    # clean() so that the deadline states are plain, indexable comparisons (see querysets.py).
    notice_date = models.DateField(_("notice deadline"), editable=False)
    decision_from = models.DateField(_("decision due from"), editable=False)
    notice_given_on = models.DateField(_("notice given on"), null=True, blank=True)
    notice_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notice given by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice_reason = models.TextField(_("reason for the notice"), max_length=2000, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("service agreement")
        verbose_name_plural = _("service agreements")
        indexes = [
            models.Index(fields=["notice_date", "end_date"]),
            models.Index(fields=["decision_from", "notice_date"]),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The stored deadlines always follow the term, whoever saves it (actions call clean(), bulk loaders
        # and fixtures may not).
        if self.end_date:
            self.derive_deadlines()
        super().save(*args, **kwargs)

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id

    @property
    def notice_by(self) -> datetime.date:
        """The last day on which notice of non-renewal or termination at the end date can still be given."""
        return self.notice_date

    def derive_deadlines(self) -> None:
        try:
            self.notice_date = self.end_date - datetime.timedelta(days=self.notice_period_days or 0)
            self.decision_from = self.notice_date - datetime.timedelta(days=self.decision_lead_days or 0)
        except OverflowError:
            raise ValidationError({"end_date": _("The end date is too early for the notice period.")}) from None

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": _("The end date is before the start date.")})
            self.derive_deadlines()
        if self.terminated_on and self.start_date and self.terminated_on < self.start_date:
            raise ValidationError({"terminated_on": _("The termination date is before the start date.")})

    def _notice_in_time(self, day: datetime.date) -> bool:
        given = self.notice_given_on
        return given is not None and given <= day and given <= self.notice_date

    def state(self, today: datetime.date | None = None) -> AgreementState:
        """The same rule as querysets.agreement_state_conditions, for one agreement in memory."""
        day = today or timezone.localdate()
        will_renew = self.auto_renewal and self.terminated_on is None and not self._notice_in_time(day)
        if self.terminated_on is not None and self.terminated_on <= day:
            return AgreementState.TERMINATED
        if day < self.start_date:
            return AgreementState.UPCOMING
        if day > self.end_date and not will_renew:
            return AgreementState.EXPIRED
        if self._notice_in_time(day) or self.terminated_on is not None:
            return AgreementState.ENDING
        if self.decision_from <= day <= self.notice_date:
            return AgreementState.DECISION_DUE
        if day > self.notice_date and self.auto_renewal:
            return AgreementState.RENEWING
        if day > self.notice_date:
            return AgreementState.EXPIRING
        return AgreementState.ACTIVE

    @property
    def state_tone(self) -> str:
        return AGREEMENT_TONE[self.state()]

    def advice(self, day: datetime.date | None = None, *, for_vendor: bool = False) -> str:
        """What the manager should do about the agreement on `day`, in words; `for_vendor`: what it means to
        the vendor's people, who do not decide on renewal (the owner does)."""
        day = day or timezone.localdate()
        state = self.state(day)
        values = {
            "start": self.start_date,
            "end": self.end_date,
            "notice_by": self.notice_date,
            "decide_from": self.decision_from,
            "given": self.notice_given_on,
            "terminated": self.terminated_on,
            "next": self.end_date + datetime.timedelta(days=1),
            "months": self.renewal_months,
        }
        texts = {
            AgreementState.TERMINATED: _("Terminated on %(terminated)s."),
            AgreementState.UPCOMING: _("Starts on %(start)s."),
            AgreementState.EXPIRED: _("Expired on %(end)s: agree a new term or close the engagement."),
            AgreementState.ENDING: (
                _("Termination scheduled for %(terminated)s: plan the handover.")
                if self.terminated_on
                else _("Notice given on %(given)s: the agreement ends on %(end)s. Plan the handover.")
            ),
            AgreementState.DECISION_DUE: _(
                "Decide now: renew, or give notice by %(notice_by)s (the agreement ends on %(end)s)."
            ),
            AgreementState.RENEWING: _(
                "The notice deadline has passed: renews automatically on %(next)s for %(months)s months."
            ),
            AgreementState.EXPIRING: _(
                "The notice deadline has passed: ends on %(end)s without renewal. Agree a new term or plan the exit."
            ),
            AgreementState.ACTIVE: _("Runs until %(end)s; decide on renewal from %(decide_from)s."),
        }
        if for_vendor:
            texts |= {
                AgreementState.EXPIRED: _("Expired on %(end)s: the owner decides whether to agree a new term."),
                AgreementState.DECISION_DUE: _(
                    "The owner decides by %(notice_by)s whether to renew (the agreement ends on %(end)s)."
                ),
                AgreementState.EXPIRING: _(
                    "The notice deadline has passed: ends on %(end)s without renewal unless the owner agrees a new "
                    "term. Prepare the handover."
                ),
                AgreementState.ACTIVE: _("Runs until %(end)s; the owner decides on renewal from %(decide_from)s."),
            }
        return str(texts[state]) % values

    def covers_period(self, start: datetime.date, end: datetime.date) -> bool:
        """Does the period [start, end] overlap the agreement's term?"""
        return start <= self.end_date and end >= self.start_date


class AgreementVersion(VendorOwned, models.Model):
    """An amendment of a service agreement: what changed, from when, and who signed it. Never overlapping."""

    agreement = models.ForeignKey(ServiceAgreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("Empty: until the agreement ends.")
    )
    changes = models.TextField(_("what changed"), max_length=5000)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.CharField(_("signed by"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ThroughAgreement.as_manager()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="engagements_unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.agreement.engagement.vendor_id

    @property
    def effective_until(self) -> datetime.date:
        return self.effective_to or self.agreement.end_date

    def clean(self) -> None:
        super().clean()
        if not (self.effective_from and self.agreement_id):
            return
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The end date is before the start date.")})
        agreement = self.agreement
        if self.effective_from < agreement.start_date or self.effective_from > agreement.end_date:
            raise ValidationError({"effective_from": _("A version must take effect within the agreement's term.")})
        mine_end = self.effective_until
        for other in agreement.versions.exclude(pk=self.pk):
            if self.effective_from <= other.effective_until and mine_end >= other.effective_from:
                raise ValidationError(
                    {
                        "effective_from": _("This version overlaps version %(n)s (%(start)s to %(end)s).")
                        % {"n": other.number, "start": other.effective_from, "end": other.effective_until}
                    }
                )


class DeliverableQuerySet(ThroughEngagement):
    def late(self, day: datetime.date) -> DeliverableQuerySet:
        """Deliverables still owed past their due date on `day`: due before `day`, and not delivered or delivered
        but rejected. The one rule behind the "late" badge, the API's `late`, the engagement list's filter and
        the dashboard card."""
        return self.filter(late_q(day))


def late_q(day: datetime.date, prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}due_date__lt": day}) & (
        models.Q(**{f"{prefix}delivered_on__isnull": True}) & ~models.Q(**{f"{prefix}acceptance": Acceptance.ACCEPTED})
        | models.Q(**{f"{prefix}acceptance": Acceptance.REJECTED})
    )


class Deliverable(VendorOwned, Versioned):
    """A result the vendor owes under a contracted-out activity, with its due date and acceptance."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    due_date = models.DateField(_("due date"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    acceptance = models.CharField(
        _("acceptance"), max_length=16, choices=Acceptance.choices, default=Acceptance.PENDING
    )
    acceptance_reason = models.TextField(_("reasons"), max_length=5000, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        indexes = [models.Index(fields=["acceptance", "due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id

    @property
    def acceptance_tone(self) -> str:
        return ACCEPTANCE_TONE[Acceptance(self.acceptance)]

    def is_late(self, day: datetime.date | None = None) -> bool:
        """`DeliverableQuerySet.late` on one deliverable already loaded (tests prove the two agree)."""
        day = day or timezone.localdate()
        owed = (self.delivered_on is None and self.acceptance != Acceptance.ACCEPTED) or (
            self.acceptance == Acceptance.REJECTED
        )
        return self.due_date < day and owed

    @property
    def late(self) -> bool:
        return self.is_late()

    def clean(self) -> None:
        super().clean()
        if self.acceptance == Acceptance.REJECTED and not self.acceptance_reason.strip():
            raise ValidationError({"acceptance_reason": _("Give the reasons for rejecting the deliverable.")})


from .models_benefit import BenefitPeriod, BenefitTerms, BenefitTier  # noqa: E402
from .models_sla import CreditBand, Measurement, SlaMetric  # noqa: E402

__all__ = [
    "AgreementVersion",
    "BenefitPeriod",
    "BenefitTerms",
    "BenefitTier",
    "CreditBand",
    "Deliverable",
    "Engagement",
    "Measurement",
    "ServiceAgreement",
    "SlaMetric",
]
