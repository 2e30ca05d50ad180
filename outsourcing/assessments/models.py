from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet
from outsourcing.core.bilingual import in_reader_language
from outsourcing.core.versioning import Versioned

from .choices import (
    RECOMMENDATION_TONE,
    SCALE_MAX,
    SCALE_VALUES,
    SEVERITY_TONE,
    STATUS_TONE,
    AssessmentStatus,
    ItemSource,
    Recommendation,
    Scale,
    Severity,
)


class AssessmentSettings(Versioned):
    """The admin's thresholds that turn an assessment score into a recommendation (one row)."""

    approve_threshold = models.DecimalField(
        _("approve at or above"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("A score (0–100) at or above this is recommended for approval."),
    )
    conditions_threshold = models.DecimalField(
        _("approve with conditions at or above"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("A score at or above this (and below the approval threshold) is approved with conditions."),
    )
    # How often a vendor's management system is examined again, by risk tier (SPEC "Activation gate" gives the
    # defaults); an unclassified vendor is examined as often as a critical one.
    critical_months = models.PositiveSmallIntegerField(
        _("re-examine critical vendors every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    high_months = models.PositiveSmallIntegerField(
        _("re-examine high-risk vendors every (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    standard_months = models.PositiveSmallIntegerField(
        _("re-examine standard vendors every (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    unset_months = models.PositiveSmallIntegerField(
        _("re-examine vendors without a tier every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")

    def __str__(self) -> str:
        return str(_("Assessment settings"))

    def clean(self) -> None:
        super().clean()
        if (
            self.conditions_threshold is not None
            and self.approve_threshold is not None
            and self.conditions_threshold > self.approve_threshold
        ):
            raise ValidationError(
                {"conditions_threshold": _("The conditions threshold cannot be above the approval threshold.")}
            )

    @classmethod
    def current(cls) -> AssessmentSettings:
        """The one row, created by migration 0003 (a read never writes). Should it be missing all the same
        (a database flushed by a test), the defaults are answered without being saved."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def reexamination_months(self) -> dict[str, int]:
        """{risk tier ("" for none): months between two examinations}."""
        return {
            "critical": self.critical_months,
            "high": self.high_months,
            "standard": self.standard_months,
            "": self.unset_months,
        }


class AssessmentTemplate(Versioned):
    """A questionnaire for examining a vendor's management system: sections of weighted items."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=5000, validators=[MaxLengthValidator(5000)], blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active templates start new assessments.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")

    def __str__(self) -> str:
        return self.name


class TemplateSection(Versioned):
    """A part of a template, e.g. "project management system"; its score is reported on its own."""

    template = models.ForeignKey(AssessmentTemplate, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    title_zh_hans = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, validators=[MaxLengthValidator(2000)], blank=True)
    description_zh_hans = models.TextField(
        _("description in Chinese"), max_length=2000, validators=[MaxLengthValidator(2000)], blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="assessment_section_code_unique")]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (core.bilingual)."""
        return in_reader_language(self, "title")

    @property
    def shown_description(self) -> str:
        return in_reader_language(self, "description")


class TemplateItem(Versioned):
    """One question of a template: what the vendor answers (or which figure fills it), weight and scale."""

    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=500)
    text_zh_hans = models.CharField(_("question in Chinese"), max_length=500, blank=True)
    guidance = models.TextField(
        _("guidance"),
        max_length=3000,
        validators=[MaxLengthValidator(3000)],
        blank=True,
        help_text=_("What a good answer shows; what evidence to give."),
    )
    guidance_zh_hans = models.TextField(
        _("guidance in Chinese"), max_length=3000, validators=[MaxLengthValidator(3000)], blank=True
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000"))],
    )
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.ZERO_TO_FOUR)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=ItemSource.choices, default=ItemSource.VENDOR)
    criterion_code = models.CharField(
        _("criterion code"),
        max_length=40,
        blank=True,
        help_text=_("For items filled from the system's data: the vendor criterion, e.g. team_stability."),
    )
    condition_item = models.ForeignKey(
        "self",
        verbose_name=_("shown only when item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
    )
    condition_value = models.CharField(_("has the answer"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="assessment_item_code_unique")]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.shown_text

    @property
    def shown_text(self) -> str:
        """The question in the reader's language (core.bilingual)."""
        return in_reader_language(self, "text")

    @property
    def shown_guidance(self) -> str:
        return in_reader_language(self, "guidance")

    @property
    def scale_max(self) -> int:
        return SCALE_MAX[Scale(self.scale)]

    @property
    def scale_values(self) -> list[str]:
        return SCALE_VALUES[Scale(self.scale)]

    @property
    def is_auto(self) -> bool:
        return self.source == ItemSource.CRITERION

    def clean(self) -> None:
        super().clean()
        if self.source == ItemSource.CRITERION:
            if not self.criterion_code:
                raise ValidationError({"criterion_code": _("Name the criterion that fills this item.")})
            if self.evidence_required:
                raise ValidationError({"evidence_required": _("An item filled from data needs no uploaded evidence.")})
        elif self.criterion_code:
            raise ValidationError({"criterion_code": _("Only items filled from data name a criterion.")})
        if self.condition_item_id:
            condition = self.condition_item
            assert condition is not None
            if self.pk and condition.pk == self.pk:
                raise ValidationError({"condition_item": _("An item cannot depend on itself.")})
            if self.section_id and condition.section.template_id != self.section.template_id:
                raise ValidationError({"condition_item": _("The condition must be an item of the same template.")})
            if condition.source != ItemSource.VENDOR:
                raise ValidationError({"condition_item": _("The condition must be an item the vendor answers.")})
            if self.condition_value not in condition.scale_values:
                raise ValidationError(
                    {
                        "condition_value": _("Choose one of the condition item's answers: %(values)s.")
                        % {"values": ", ".join(condition.scale_values)}
                    }
                )
        elif self.condition_value:
            raise ValidationError({"condition_value": _("Choose the item this condition refers to.")})


class AssessmentQuerySet(VendorScopedQuerySet):
    def visible_to(self, user: Any) -> AssessmentQuerySet:
        # A vendor sees its assessments once they are sent: a draft is still the owner's working paper.
        visible = super().visible_to(user)
        if getattr(user, "role", None) == "vendor":
            visible = visible.exclude(status=AssessmentStatus.DRAFT)
        return visible

    def current_for(self, vendor_ids: Iterable[int], day: datetime.date) -> dict[int, Assessment]:
        """The vendor's current assessment on `day`, for each of these vendors that has one: its latest
        management-system assessment completed on or before `day` and within the vendor's re-examination
        cycle (`Vendor.reexamination_months`), whatever engagement it was made for (SPEC "Activation gate",
        "Missing data is not zero"). One query; asked by the activation gate and the comparison alike."""
        from outsourcing.vendors.choices import REEXAMINATION_MONTHS_UNSET
        from outsourcing.vendors.models import reexamination_cycle

        cycle = reexamination_cycle()  # read once: the admin's months per risk tier
        longest = max([REEXAMINATION_MONTHS_UNSET, *cycle.values()])
        candidates = (
            self.filter(
                vendor_id__in=list(vendor_ids),
                status=AssessmentStatus.COMPLETED,
                completed_at__date__lte=day,
                completed_at__date__gte=day - relativedelta(months=longest),
            )
            .select_related("vendor")
            .order_by("vendor_id", "-completed_at", "-pk")
        )
        current: dict[int, Assessment] = {}
        for assessment in cast("Iterable[Assessment]", candidates):
            if assessment.vendor_id in current or assessment.completed_at is None:
                continue
            completed = timezone.localdate(assessment.completed_at)
            months = cycle.get(assessment.vendor.risk_tier or "", REEXAMINATION_MONTHS_UNSET)
            if completed >= day - relativedelta(months=months):
                current[assessment.vendor_id] = assessment
        return current


class Assessment(VendorOwned, models.Model):
    """An examination of one vendor's management system (optionally for one engagement), with its result.

    The result (score, recommendation, blockers and the explanation of every point) is computed live while
    the assessment runs and frozen in `result` when it is completed.
    """

    vendor = models.ForeignKey(
        "vendors.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="assessments"
    )
    engagement = models.ForeignKey(
        "engagements.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    template = models.ForeignKey(
        AssessmentTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="assessments"
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("started from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    due_date = models.DateField(_("answers due"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    conclusion = models.TextField(
        _("reviewer's conclusion"), max_length=5000, validators=[MaxLengthValidator(5000)], blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=4, null=True, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=24, choices=Recommendation.choices, blank=True)
    has_blockers = models.BooleanField(_("blocked"), default=False)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["vendor", "status", "completed_at"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.template} · {self.vendor}"

    @property
    def status_tone(self) -> str:
        return STATUS_TONE[AssessmentStatus(self.status)]

    @property
    def recommendation_tone(self) -> str:
        return RECOMMENDATION_TONE[Recommendation(self.recommendation)] if self.recommendation else "grey"


class AssessmentScopedQuerySet(VendorScopedQuerySet):
    """Answers and findings: visible with the assessment's vendor."""

    vendor_lookup = "assessment__vendor"


class Answer(VendorOwned, models.Model):
    """A vendor's answer to one item (with its evidence) and the reviewer's score of it."""

    vendor_maintained = True  # the vendor's users write the answers; scoring goes through owner-only actions

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(_("answer"), max_length=10, blank=True)
    response = models.TextField(_("description"), max_length=5000, validators=[MaxLengthValidator(5000)], blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True, blank=True)
    review_note = models.TextField(
        _("reviewer's note"), max_length=3000, validators=[MaxLengthValidator(3000)], blank=True
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned = models.BooleanField(_("returned for correction"), default=False)
    return_reason = models.TextField(
        _("why it was returned"), max_length=3000, validators=[MaxLengthValidator(3000)], blank=True
    )

    objects = AssessmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["item__section__order", "item__order", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="assessment_answer_unique")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.item.code}: {self.value or '—'}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.assessment.vendor_id

    @property
    def own_rating(self) -> int | None:
        """The vendor's answer read as a score on the item's scale (yes = 1, no = 0, "3" = 3): where the
        reviewer's score starts from. None when the item is unanswered."""
        if self.value not in self.item.scale_values:
            return None
        return int(self.value) if self.value.isdigit() else {"yes": 1, "no": 0}[self.value]

    def clean(self) -> None:
        super().clean()
        if self.value and self.value not in self.item.scale_values:
            raise ValidationError(
                {"value": _("Choose one of: %(values)s.") % {"values": ", ".join(self.item.scale_values)}}
            )
        if self.score is not None and not (0 <= self.score <= self.item.scale_max):
            raise ValidationError(
                {"score": _("The score must be between 0 and %(max)d.") % {"max": self.item.scale_max}}
            )


class Finding(VendorOwned, models.Model):
    """A reviewer's finding on an assessment: how serious, which item, which evidence, the vendor's reply."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        TemplateItem,
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices, default=Severity.MINOR)
    description = models.TextField(_("finding"), max_length=5000, validators=[MaxLengthValidator(5000)])
    evidence = models.ForeignKey(
        "documents.Document",
        verbose_name=_("evidence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    vendor_comment = models.TextField(
        _("vendor's comment"), max_length=5000, validators=[MaxLengthValidator(5000)], blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = AssessmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "-created_at", "-pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    name_in_reader_language = True  # its name holds the severity's label (core.audit_trail)

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.description[:60]}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.assessment.vendor_id

    @property
    def severity_tone(self) -> str:
        return SEVERITY_TONE[Severity(self.severity)]

    def clean(self) -> None:
        super().clean()
        item = self.item
        if item is not None and self.assessment_id and item.section.template_id != self.assessment.template_id:
            raise ValidationError({"item_id": _("The item is not part of this assessment's template.")})
        if self.evidence is not None and self.assessment_id and self.evidence.vendor_id != self.assessment.vendor_id:
            raise ValidationError({"evidence_id": _("The evidence must be a document of the assessed vendor.")})
