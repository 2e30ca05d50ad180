from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinLengthValidator, RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet
from outsourcing.core.versioning import Versioned

from .choices import (
    EXPIRING_WITHIN_DAYS,
    STATUS_TONE,
    DerivedStatus,
    ReadingStatus,
    TypeCategory,
    VerificationMethod,
    VerificationStatus,
)

LEVEL_LIMIT = 99


class QualificationType(Versioned):
    """A kind of proof a vendor can hold (a licence, a maturity rating, a management-system certificate).

    Kept by the owner's admins. A type may have ordered levels: a higher number is always the higher grade.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("Lower-case letters, digits and underscores."))],
        help_text=_("A stable identifier used by the API, e.g. iso27001."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[MinLengthValidator(1)])
    category = models.CharField(_("category"), max_length=20, choices=TypeCategory.choices, default=TypeCategory.OTHER)
    has_levels = models.BooleanField(_("has levels"), default=False)
    min_level = models.PositiveSmallIntegerField(
        _("lowest level"), null=True, blank=True, validators=[MaxValueValidator(LEVEL_LIMIT)]
    )
    max_level = models.PositiveSmallIntegerField(
        _("highest level"), null=True, blank=True, validators=[MaxValueValidator(LEVEL_LIMIT)]
    )
    description = models.TextField(_("description"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("qualification type")
        verbose_name_plural = _("qualification types")

    def __str__(self) -> str:
        return self.name

    @property
    def level_range(self) -> str:
        return f"{self.min_level}–{self.max_level}" if self.has_levels else ""

    def clean(self) -> None:
        super().clean()
        self.name = (self.name or "").strip()
        if self.has_levels:
            errors = {}
            if self.min_level is None:
                errors["min_level"] = _("A type with levels needs its lowest level.")
            if self.max_level is None:
                errors["max_level"] = _("A type with levels needs its highest level.")
            if errors:
                raise ValidationError(errors)
            assert self.min_level is not None and self.max_level is not None
            if self.min_level > self.max_level:
                raise ValidationError({"max_level": _("The highest level is below the lowest level.")})
        else:
            for field in ("min_level", "max_level"):
                if getattr(self, field) is not None:
                    raise ValidationError({field: _("A type without levels has no level range.")})

    def level_error(self, level: int | None, *, required: bool) -> str | None:
        """Why `level` is not acceptable for this type, or None when it is."""
        if not self.has_levels:
            if level is not None:
                return str(_("%(type)s has no levels; leave the level empty.") % {"type": self.name})
            return None
        if level is None:
            return str(_("%(type)s has levels; give one.") % {"type": self.name}) if required else None
        assert self.min_level is not None and self.max_level is not None
        if not self.min_level <= level <= self.max_level:
            return str(
                _("%(type)s levels run from %(low)s to %(high)s.")
                % {"type": self.name, "low": self.min_level, "high": self.max_level}
            )
        return None


def counts_q(day: datetime.date, prefix: str = "") -> Q:
    """Qualifications that count on `day`: verified and valid_from ≤ day ≤ valid_until."""
    return Q(
        **{
            f"{prefix}verification_status": VerificationStatus.VERIFIED,
            f"{prefix}valid_from__lte": day,
            f"{prefix}valid_until__gte": day,
        }
    )


class QualificationQuerySet(VendorScopedQuerySet):
    def counting_on(self, day: datetime.date) -> QualificationQuerySet:
        return self.filter(counts_q(day))

    def with_status(self, day: datetime.date | None = None) -> QualificationQuerySet:
        """Annotate `derived_status` (see DerivedStatus) as of `day` (today by default), in the database."""
        day = day or timezone.localdate()
        soon = day + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
        return self.annotate(
            derived_status=Case(
                When(verification_status=VerificationStatus.REJECTED, then=Value(DerivedStatus.REJECTED)),
                When(verification_status=VerificationStatus.PENDING, then=Value(DerivedStatus.UNVERIFIED)),
                When(valid_until__lt=day, then=Value(DerivedStatus.EXPIRED)),
                When(valid_from__gt=day, then=Value(DerivedStatus.NOT_YET_VALID)),
                When(valid_until__lte=soon, then=Value(DerivedStatus.EXPIRING)),
                default=Value(DerivedStatus.VALID),
                output_field=models.CharField(),
            )
        )

    def in_status(self, status: str, day: datetime.date | None = None) -> QualificationQuerySet:
        return self.filter(status_q(status, day or timezone.localdate()))


def status_q(status: str, day: datetime.date) -> Q:
    """The qualifications whose derived status on `day` is `status`, as a plain filter (index friendly).

    The same rule as the Case in QualificationQuerySet.with_status and Qualification.status_on; a test
    holds the three together.
    """
    verified = Q(verification_status=VerificationStatus.VERIFIED)
    soon = day + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    rules: dict[str, Q] = {
        DerivedStatus.REJECTED: Q(verification_status=VerificationStatus.REJECTED),
        DerivedStatus.UNVERIFIED: Q(verification_status=VerificationStatus.PENDING),
        DerivedStatus.EXPIRED: verified & Q(valid_until__lt=day),
        DerivedStatus.NOT_YET_VALID: verified & Q(valid_from__gt=day, valid_until__gte=day),
        DerivedStatus.EXPIRING: verified & Q(valid_from__lte=day, valid_until__gte=day, valid_until__lte=soon),
        DerivedStatus.VALID: verified & Q(valid_from__lte=day, valid_until__gt=soon),
    }
    return rules.get(status, Q(pk__in=[]))


class Qualification(VendorOwned, Versioned):
    """A qualification a vendor holds: a certificate of a catalogued type with its number, level and validity.

    The vendor's users keep it; the owner's staff verify or reject it. It counts on a date only when
    verified and valid on that date. A renewal supersedes the record it renews.
    """

    vendor_maintained = True  # the vendor's own users keep their certificates up to date

    vendor = models.ForeignKey(
        "vendors.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="qualifications"
    )
    type = models.ForeignKey(
        QualificationType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="qualifications"
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(LEVEL_LIMIT)],
        help_text=_("Only for types with levels; a higher number is the higher grade."),
    )
    number = models.CharField(_("certificate number"), max_length=100, validators=[MinLengthValidator(1)])
    issuer = models.CharField(_("issuer"), max_length=200, validators=[MinLengthValidator(1)])
    scope = models.TextField(_("scope"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    verification_status = models.CharField(
        _("verification"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified or rejected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified or rejected at"), null=True, blank=True)
    verification_note = models.CharField(_("reason"), max_length=1000, blank=True)
    verification_method = models.CharField(
        _("how it was checked"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verification_reference = models.CharField(
        _("verification reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the register's query number, or who saw the original and where."),
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    documents = GenericRelation("documents.Document")

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["vendor__name", "type__code", "-valid_until"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        indexes = [
            # The chosen vendors' counting certificates (a comparison's criteria and blockers, an engagement's
            # requirements): with `valid_until` in it SQLite seeks these vendors' rows instead of scanning every
            # verified certificate of the portfolio through the index below (9 ms → 0.03 ms for 10 vendors).
            models.Index(
                fields=["vendor", "type", "verification_status", "valid_until"], name="qualification_counting"
            ),
            models.Index(fields=["verification_status", "valid_until"]),
        ]

    def __str__(self) -> str:
        level = f" {self.level}" if self.level is not None else ""
        return f"{self.type}{level} · {self.number}"

    def counts_on(self, day: datetime.date) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED and self.valid_from <= day <= self.valid_until

    @property
    def counts_today(self) -> bool:
        return self.counts_on(timezone.localdate())

    def status_on(self, day: datetime.date) -> DerivedStatus:
        """The same rule as QualificationQuerySet.with_status, for one object in memory."""
        if self.verification_status == VerificationStatus.REJECTED:
            return DerivedStatus.REJECTED
        if self.verification_status == VerificationStatus.PENDING:
            return DerivedStatus.UNVERIFIED
        if self.valid_until < day:
            return DerivedStatus.EXPIRED
        if self.valid_from > day:
            return DerivedStatus.NOT_YET_VALID
        if self.valid_until <= day + datetime.timedelta(days=EXPIRING_WITHIN_DAYS):
            return DerivedStatus.EXPIRING
        return DerivedStatus.VALID

    @property
    def status(self) -> DerivedStatus:
        return self.status_on(timezone.localdate())

    @property
    def status_tone(self) -> str:
        return STATUS_TONE[self.status]

    def clean(self) -> None:
        super().clean()
        self.number = (self.number or "").strip()
        self.issuer = (self.issuer or "").strip()
        errors: dict[str, Any] = {}
        if self.type_id is not None:
            problem = self.type.level_error(self.level, required=True)
            if problem:
                errors["level"] = problem
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            errors["valid_until"] = _("The certificate ends before it starts.")
        if self.supersedes_id is not None:
            old = self.supersedes
            assert old is not None
            if old.pk == self.pk:
                errors["supersedes_id"] = _("A certificate cannot renew itself.")
            elif old.vendor_id != self.vendor_id or old.type_id != self.type_id:
                errors["supersedes_id"] = _("A renewal must be of the same vendor and type.")
        if self.verification_status == VerificationStatus.REJECTED and not self.verification_note.strip():
            errors["reason"] = _("Say why the certificate is rejected.")
        if errors:
            raise ValidationError(errors)


class RequirementQuerySet(VendorScopedQuerySet):
    vendor_lookup = "engagement__vendor"


class QualificationRequirement(VendorOwned, Versioned):
    """A qualification an engagement requires of its vendor: a type and, for types with levels, a minimum."""

    engagement = models.ForeignKey(
        "engagements.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="qualification_requirements",
    )
    type = models.ForeignKey(
        QualificationType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="requirements"
    )
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(LEVEL_LIMIT)],
        help_text=_("Only for types with levels; empty accepts any level."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["type__category", "type__code"]
        verbose_name = _("qualification requirement")
        verbose_name_plural = _("qualification requirements")
        constraints = [
            models.UniqueConstraint(fields=["engagement", "type"], name="one_requirement_per_type"),
        ]

    def __str__(self) -> str:
        if self.min_level is not None:
            return f"{self.type} ≥ {self.min_level}"
        return str(self.type)

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id if self.engagement_id else None

    def is_met_by(self, level: int | None) -> bool:
        """Whether a counting qualification of this type at `level` meets this requirement."""
        if self.min_level is None or not self.type.has_levels:
            return True
        return level is not None and level >= self.min_level

    def clean(self) -> None:
        super().clean()
        if self.type_id is not None:
            problem = self.type.level_error(self.min_level, required=False)
            if problem:
                raise ValidationError({"min_level": problem})
        if self.engagement_id and self.type_id:
            clash = QualificationRequirement.objects.filter(engagement_id=self.engagement_id, type=self.type_id)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"type_code": _("The engagement already requires this type; change its minimum level.")}
                )

    def validate_constraints(self, exclude: Any = None) -> None:
        # clean() reports the clash on the field the API and the form name (type_code).
        return None


class ReadingQuerySet(VendorScopedQuerySet):
    vendor_lookup = "qualification__vendor"


class CertificateReading(VendorOwned, models.Model):
    """What was read from one evidence file of a qualification (its text, QR codes and certificate fields), so
    that the verifier compares the file with the typed record without doing it by eye."""

    vendor_maintained = True  # it follows the certificate it belongs to

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="readings")
    document = models.OneToOneField("documents.Document", on_delete=models.CASCADE, related_name="reading")
    status = models.CharField(_("status"), max_length=10, choices=ReadingStatus.choices, default=ReadingStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    method = models.CharField(_("read from"), max_length=12, blank=True)
    fields = models.JSONField(_("fields read"), default=dict, blank=True)
    qr = models.JSONField(_("QR codes"), default=list, blank=True)
    text = models.TextField(_("text read"), blank=True)
    problem = models.CharField(_("why it could not be read"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate reading")
        verbose_name_plural = _("certificate readings")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.status}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.qualification.vendor_id

    @property
    def finished(self) -> bool:
        return self.status in (ReadingStatus.READ, ReadingStatus.NOT_READ)
