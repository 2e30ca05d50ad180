"""Benefit-based relationships: the baseline, the share formula and the measured result per period."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned
from outsourcing.core.versioning import Versioned

from . import calc
from .choices import BenefitDirection
from .querysets import ThroughEngagement, ThroughTerms

NOT_NEGATIVE = MinValueValidator(Decimal(0), _("Must not be negative."))
PERCENT = [NOT_NEGATIVE, MaxValueValidator(Decimal(100))]


class BenefitTerms(VendorOwned, Versioned):
    """How the vendor shares a measured benefit: baseline per period, share percentage, tiers and a cap."""

    engagement = models.OneToOneField("engagements.Engagement", on_delete=models.CASCADE, related_name="benefit_terms")
    measure = models.CharField(_("what is measured"), max_length=200, help_text=_("For example electricity cost."))
    unit = models.CharField(_("unit"), max_length=30, default="CNY")
    baseline = models.DecimalField(_("baseline per period"), max_digits=16, decimal_places=2, validators=[NOT_NEGATIVE])
    direction = models.CharField(
        _("benefit is"), max_length=10, choices=BenefitDirection.choices, default=BenefitDirection.DECREASE
    )
    share_percent = models.DecimalField(_("vendor's share (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    cap = models.DecimalField(
        _("cap per period"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text=_("Empty: no cap."),
    )

    objects = ThroughEngagement.as_manager()

    class Meta:
        verbose_name = _("benefit terms")
        verbose_name_plural = _("benefit terms")

    def __str__(self) -> str:
        return f"{self.engagement}: {self.share_percent} %"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id

    def tier_pairs(self) -> list[tuple[Decimal, Decimal]]:
        return [(t.benefit_from, t.share_percent) for t in self.tiers.all()]

    def payout_for(self, measured: Decimal) -> calc.Payout:
        return calc.payout(
            baseline=self.baseline,
            measured=measured,
            increase=self.direction == BenefitDirection.INCREASE,
            share_percent=self.share_percent,
            tiers=self.tier_pairs(),
            cap=self.cap,
        )


class BenefitTier(VendorOwned, models.Model):
    """A higher share for the part of the benefit above a threshold (marginal, like a tax bracket)."""

    terms = models.ForeignKey(BenefitTerms, on_delete=models.CASCADE, related_name="tiers")
    benefit_from = models.DecimalField(
        _("benefit from"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), _("A tier starts above zero."))],
    )
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, validators=PERCENT)

    objects = ThroughTerms.as_manager()

    class Meta:
        verbose_name = _("gain-sharing tier")
        verbose_name_plural = _("gain-sharing tiers")
        ordering = ["terms", "benefit_from"]
        constraints = [models.UniqueConstraint(fields=["terms", "benefit_from"], name="engagements_unique_tier_start")]

    def __str__(self) -> str:
        return f"≥ {self.benefit_from}: {self.share_percent} %"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.terms.engagement.vendor_id


class BenefitPeriod(VendorOwned, models.Model):
    """The measured result of one month of a benefit-based relationship; the payout is derived from it."""

    engagement = models.ForeignKey("engagements.Engagement", on_delete=models.CASCADE, related_name="benefit_periods")
    period_start = models.DateField(_("month"), help_text=_("First day of the month."))
    measured = models.DecimalField(_("measured result"), max_digits=16, decimal_places=2, validators=[NOT_NEGATIVE])
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ThroughEngagement.as_manager()

    class Meta:
        ordering = ["engagement", "period_start"]
        verbose_name = _("benefit period")
        verbose_name_plural = _("benefit periods")
        constraints = [
            models.UniqueConstraint(fields=["engagement", "period_start"], name="engagements_unique_benefit_period")
        ]

    def __str__(self) -> str:
        return f"{self.engagement} {self.period_start:%Y-%m}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id

    def clean(self) -> None:
        super().clean()
        if not (self.engagement_id and self.period_start):
            return
        if not calc.is_period_start(self.period_start, quarterly=False):
            raise ValidationError({"period_start": _("A monthly period starts on the first day of a month.")})
        agreement = getattr(self.engagement, "agreement", None)
        end = calc.period_end(self.period_start, quarterly=False)
        if agreement is None:
            raise ValidationError({"period_start": _("Record the service agreement before measured results.")})
        if not agreement.covers_period(self.period_start, end):
            raise ValidationError(
                {
                    "period_start": _("The period %(start)s to %(end)s is outside the agreement (%(a)s to %(b)s).")
                    % {
                        "start": self.period_start,
                        "end": end,
                        "a": agreement.start_date,
                        "b": agreement.end_date,
                    }
                }
            )
