"""Service levels of an outsourced service: metrics with targets and credit bands, and their measurements."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned
from outsourcing.core.versioning import Versioned

from . import calc
from .choices import MeasurementPeriod
from .querysets import ThroughEngagement, ThroughMetric

NOT_NEGATIVE = MinValueValidator(Decimal(0), _("Must not be negative."))
PERCENT_UNITS = {"%", "％", "percent", "per cent", "pct"}


class SlaMetric(VendorOwned, Versioned):
    """One service level of an outsourced service (e.g. availability ≥ 99.9 % a month) and its credit rule."""

    engagement = models.ForeignKey("engagements.Engagement", on_delete=models.CASCADE, related_name="sla_metrics")
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("For example %, hours, tickets."))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, validators=[NOT_NEGATIVE])
    higher_is_better = models.BooleanField(
        _("higher is better"),
        default=True,
        help_text=_("Untick when a lower value is better (response time)."),
    )
    period = models.CharField(
        _("measurement period"),
        max_length=10,
        choices=MeasurementPeriod.choices,
        default=MeasurementPeriod.MONTHLY,
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"), _("The weight must be above zero."))],
        help_text=_("Share of this metric in the engagement's overall attainment."),
    )

    objects = ThroughEngagement.as_manager()

    class Meta:
        ordering = ["engagement", "name"]
        verbose_name = _("SLA metric")
        verbose_name_plural = _("SLA metrics")
        constraints = [models.UniqueConstraint(fields=["engagement", "name"], name="engagements_unique_metric_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id

    @property
    def quarterly(self) -> bool:
        return self.period == MeasurementPeriod.QUARTERLY

    @property
    def is_percentage(self) -> bool:
        """Is it measured in per cent (availability, on-time rate)? Then a value lies in [0, 100]."""
        return self.unit.strip().casefold() in PERCENT_UNITS

    def expected_periods(self, as_of: datetime.date) -> list[datetime.date]:
        """Starts of the periods that should have a measurement by `as_of`: those of the agreement's term that
        are over (a period is measured once it has ended)."""
        agreement = getattr(self.engagement, "agreement", None)
        if agreement is None:
            return []
        start = calc.period_containing(agreement.start_date, self.quarterly)
        periods = []
        while start <= agreement.end_date:
            end = calc.period_end(start, self.quarterly)
            if end >= as_of:
                break
            periods.append(start)
            start = end + datetime.timedelta(days=1)
        return periods

    def band_pairs(self) -> list[tuple[Decimal, Decimal]]:
        return [(b.shortfall_from, b.credit_percent) for b in self.bands.all()]

    def validate_unique(self, exclude: object = None) -> None:
        super().validate_unique(exclude)  # type: ignore[arg-type]
        others = SlaMetric.objects.filter(engagement_id=self.engagement_id, name=self.name).exclude(pk=self.pk)
        if self.engagement_id and others.exists():
            raise ValidationError({"name": _("This engagement already has a metric of this name.")})


class CreditBand(VendorOwned, models.Model):
    """One row of a metric's service-credit table: from this shortfall on, this percentage of the fee."""

    metric = models.ForeignKey(SlaMetric, on_delete=models.CASCADE, related_name="bands")
    shortfall_from = models.DecimalField(
        _("shortfall from"), max_digits=16, decimal_places=4, validators=[NOT_NEGATIVE]
    )
    credit_percent = models.DecimalField(
        _("credit (percent of the period's fee)"),
        max_digits=5,
        decimal_places=2,
        validators=[NOT_NEGATIVE, MaxValueValidator(Decimal(100))],
    )

    objects = ThroughMetric.as_manager()

    class Meta:
        ordering = ["metric", "shortfall_from"]
        verbose_name = _("credit band")
        verbose_name_plural = _("credit bands")
        constraints = [
            models.UniqueConstraint(fields=["metric", "shortfall_from"], name="engagements_unique_band_start"),
        ]

    def __str__(self) -> str:
        return f"≥ {self.shortfall_from}: {self.credit_percent} %"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.metric.engagement.vendor_id


class Measurement(VendorOwned, models.Model):
    """The measured value of a metric for one period; attainment and breach are derived when it is saved."""

    metric = models.ForeignKey(SlaMetric, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField(_("period start"), help_text=_("First day of the month or quarter."))
    value = models.DecimalField(_("measured value"), max_digits=16, decimal_places=4, validators=[NOT_NEGATIVE])
    shortfall = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal(0), editable=False)
    attainment = models.DecimalField(max_digits=12, decimal_places=4, default=Decimal(100), editable=False)
    breached = models.BooleanField(default=False, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True, editable=False)
    correction_reason = models.TextField(_("reason for the correction"), max_length=2000, blank=True)

    objects = ThroughMetric.as_manager()

    class Meta:
        ordering = ["metric", "period_start"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["metric", "period_start"], name="engagements_unique_measurement")
        ]
        indexes = [models.Index(fields=["period_start", "breached"])]

    def __str__(self) -> str:
        return f"{self.metric} {self.period_start:%Y-%m}: {self.value}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.metric.engagement.vendor_id

    def derive(self) -> None:
        result = calc.evaluate(self.metric.target, self.metric.higher_is_better, Decimal(self.value))
        self.shortfall = result.shortfall
        self.breached = result.breached
        self.attainment = min(result.attainment, Decimal("99999999.9999")).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    def clean(self) -> None:
        """SPEC "SLA measurements": the period must be over on the day it is entered (errors name `period`);
        a percentage lies in [0, 100] and counts and durations are ≥ 0 (errors name `value`)."""
        super().clean()
        if not (self.metric_id and self.period_start):
            return
        metric = self.metric
        if not calc.is_period_start(self.period_start, metric.quarterly):
            message = (
                _("A quarterly period starts on 1 January, April, July or October.")
                if metric.quarterly
                else _("A monthly period starts on the first day of a month.")
            )
            raise ValidationError({"period": message})
        end = calc.period_end(self.period_start, metric.quarterly)
        today = timezone.localdate()
        if end >= today:
            raise ValidationError(
                {
                    "period": _(
                        "The period %(start)s to %(end)s is not over yet (today is %(today)s): record it once it "
                        "has ended."
                    )
                    % {"start": self.period_start, "end": end, "today": today}
                }
            )
        agreement = getattr(metric.engagement, "agreement", None)
        if agreement is None:
            raise ValidationError({"period": _("Record the service agreement before measurements.")})
        if not agreement.covers_period(self.period_start, end):
            raise ValidationError(
                {
                    "period": _("The period %(start)s to %(end)s is outside the agreement (%(a)s to %(b)s).")
                    % {
                        "start": self.period_start,
                        "end": end,
                        "a": agreement.start_date,
                        "b": agreement.end_date,
                    }
                }
            )
        if self.value is not None and metric.is_percentage and self.value > 100:
            raise ValidationError({"value": _("A percentage lies between 0 and 100.")})
        if self.value is not None:
            self.derive()
