from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import VendorOwned, VendorScopedQuerySet
from outsourcing.core.versioning import Versioned

from .choices import (
    REPLACEMENT_TONE,
    EmploymentType,
    ImportStatus,
    LeaveReason,
    ReplacementStatus,
    TeamSide,
)


class EngagementScopedQuerySet(VendorScopedQuerySet):
    """Records that belong to an engagement are visible as their engagement's vendor is."""

    vendor_lookup = "engagement__vendor"


def employed_q(day: datetime.date, prefix: str = "") -> Q:
    """SPEC "Headcount": hire_date ≤ D and (no left_date or left_date > D) — left_date is the first day the
    person is no longer employed. `prefix` reaches a member through a relation (e.g. "member__")."""
    return Q(**{f"{prefix}hire_date__lte": day}) & (
        Q(**{f"{prefix}left_date__isnull": True}) | Q(**{f"{prefix}left_date__gt": day})
    )


def on_team_q(day: datetime.date, prefix: str = "") -> Q:
    """SPEC "On the team on D" (everywhere): a team place with start ≤ D and (no end, or end ≥ D)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class TeamMemberQuerySet(VendorScopedQuerySet):
    def employed_on(self, day: datetime.date) -> TeamMemberQuerySet:
        """The people employed by their vendor on `day` (SPEC "Headcount")."""
        return self.filter(employed_q(day))

    def left_by(self, day: datetime.date) -> TeamMemberQuerySet:
        """The people who have left on or before `day`."""
        return self.filter(left_date__lte=day)

    def not_left_by(self, day: datetime.date) -> TeamMemberQuerySet:
        """Employed on `day` or joining later: whom a form may offer for a place starting today or later (the
        action then checks employment on the place's own start date)."""
        return self.exclude(left_date__lte=day)


class TeamScopedQuerySet(EngagementScopedQuerySet):
    """A team's records (places, waivers, replacements) as their engagement's, and a vendor user sees only
    those of its own people: an engagement transferred to another vendor keeps the previous vendor's history,
    which the new vendor's users must not see (names, employee numbers)."""

    member_lookup = "member"

    def visible_to(self, user: Any) -> Any:
        from outsourcing.core.access import sees_all_vendors

        visible = super().visible_to(user)
        if sees_all_vendors(user):
            return visible
        return visible.filter(
            Q(**{f"{self.member_lookup}__isnull": True}) | Q(**{f"{self.member_lookup}__vendor": user.vendor_id})
        )


class ReplacementQuerySet(TeamScopedQuerySet):
    member_lookup = "successor"


class TeamMember(VendorOwned, Versioned):
    """A person employed (now or once) by a vendor: the facts that decide whether they may work for us.

    Kept by the vendor's own users; personal data is seen only by that vendor and the owner's staff.
    """

    vendor_maintained = True
    # How the search box and the type-ahead pickers find a person (core.pickers.matching).
    search_lookups = ("full_name__icontains", "employee_number__istartswith")

    vendor = models.ForeignKey(
        "vendors.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=200, validators=[MinLengthValidator(1)])
    employee_number = models.CharField(
        _("employee number"),
        max_length=64,
        blank=True,
        help_text=_("The vendor's own staff number; imports match people by it."),
    )
    employment_type = models.CharField(_("employment type"), max_length=16, choices=EmploymentType.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    hire_date = models.DateField(_("hire date"))
    probation_end_date = models.DateField(
        _("probation end date"), null=True, blank=True, help_text=_("Last day of probation; empty: unknown.")
    )
    left_date = models.DateField(
        _("left date"),
        null=True,
        blank=True,
        help_text=_("The first day the person is no longer employed by the vendor."),
    )
    prior_experience_months = models.PositiveSmallIntegerField(
        _("prior relevant experience (months)"),
        default=0,
        validators=[MaxValueValidator(600)],
        help_text=_("Relevant work experience before joining this vendor, 0–600 months."),
    )
    identity_hash = models.CharField(_("identity number (keyed hash)"), max_length=64, blank=True, editable=False)
    identity_last4 = models.CharField(_("identity number, last 4"), max_length=4, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        indexes = [
            models.Index(fields=["vendor", "hire_date"]),
            models.Index(fields=["vendor", "left_date"]),
            models.Index(fields=["vendor", "full_name"]),
            # Matching identity numbers across vendors on a day reads only this index (no row look-ups):
            # 3 s → 0.6 s over 200,000 people (docs/benchmarks.md).
            models.Index(fields=["identity_hash", "vendor", "hire_date", "left_date"], name="member_identity_match"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "employee_number"],
                condition=~Q(employee_number=""),
                name="member_employee_number_unique_per_vendor",
                violation_error_message=_("This vendor already has a person with this employee number."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def picker_label(self) -> str:
        """The name and employee number: what tells two people of the same name apart in a picker."""
        return f"{self.full_name} · {self.employee_number}" if self.employee_number else self.full_name

    @property
    def identity_number(self) -> str:
        """Write-only: the number is never kept, only its keyed hash and last four characters."""
        return ""

    @identity_number.setter
    def identity_number(self, raw: str | None) -> None:
        from .identity import keyed_hash, normalize

        self._identity_error = ""
        if raw is None:  # not given: the number on file stays
            return
        if not raw.strip():  # given empty: removed
            self.identity_hash, self.identity_last4 = "", ""
            return
        try:
            normalized = normalize(raw)
        except ValueError as exc:
            self._identity_error = str(exc)
            return
        self.identity_hash, self.identity_last4 = keyed_hash(normalized), normalized[-4:]

    def clean(self) -> None:
        super().clean()
        self.full_name = (self.full_name or "").strip()
        self.employee_number = (self.employee_number or "").strip()
        errors: dict[str, Any] = {}
        if getattr(self, "_identity_error", ""):
            errors["identity_number"] = self._identity_error
        if not self.full_name:
            errors["full_name"] = _("Enter the person's full name.")
        if self.hire_date and self.probation_end_date and self.probation_end_date < self.hire_date:
            errors["probation_end_date"] = _("Probation cannot end before the hire date.")
        if self.hire_date and self.left_date and self.left_date <= self.hire_date:
            errors["left_date"] = _("The left date must be after the hire date.")
        if errors:
            raise ValidationError(errors)

    def employed_on(self, day: datetime.date) -> bool:
        """`employed_q` on one person already loaded (tests prove the two agree at the edges)."""
        return self.hire_date <= day and (self.left_date is None or self.left_date > day)


class AssignmentQuerySet(TeamScopedQuerySet):
    def on_team(self, day: datetime.date) -> AssignmentQuerySet:
        """The places on their team on `day` (SPEC "On the team on D")."""
        return self.filter(on_team_q(day))


class TeamAssignment(VendorOwned, models.Model):
    """One person's place on an engagement's team: role, key-person flag, when they joined and left.

    Vendor-side places hold a vendor's member; in co-sourcing, owner-side places hold the owner's staff
    (a user or just a name). A change the vendor makes directly stays flagged until the owner acknowledges it.
    """

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.PROTECT, related_name="team"
    )
    side = models.CharField(_("side"), max_length=8, choices=TeamSide.choices, default=TeamSide.VENDOR)
    member = models.ForeignKey(
        TeamMember,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner's staff user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_name = models.CharField(_("owner's staff name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=100)
    key_person = models.BooleanField(
        _("key person"), default=False, help_text=_("Replacing a key person needs the owner's approval.")
    )
    allocation_percent = models.PositiveSmallIntegerField(
        _("allocation (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much of the person's working time this place takes, 1–100 %."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Last day on the team."))
    leave_reason = models.CharField(_("reason for leaving"), max_length=20, choices=LeaveReason.choices, blank=True)
    acknowledged = models.BooleanField(
        _("acknowledged by the owner"),
        default=True,
        help_text=_("False while a change the vendor made directly awaits the owner's review."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AssignmentQuerySet.as_manager()
    # How a type-ahead picker finds a place (core.pickers.matching): by its person, as people are found.
    search_lookups = ("member__full_name__icontains", "member__employee_number__istartswith", "role__icontains")

    class Meta:
        ordering = ["-key_person", "start_date", "pk"]
        verbose_name = _("team assignment")
        verbose_name_plural = _("team assignments")
        indexes = [models.Index(fields=["engagement", "end_date"]), models.Index(fields=["acknowledged"])]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.role}"

    @property
    def vendor_maintained(self) -> bool:  # type: ignore[override]
        return self.side == TeamSide.VENDOR

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id if self.engagement_id else None

    @property
    def person_name(self) -> str:
        if self.member_id:
            return self.member.full_name  # type: ignore[union-attr]
        if self.owner_user_id:
            return str(self.owner_user.get_full_name() or self.owner_user.get_username())  # type: ignore[union-attr]
        return self.owner_name

    def on_team(self, day: datetime.date) -> bool:
        """`on_team_q` on one place already loaded (tests prove the two agree at the edges)."""
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def clean(self) -> None:
        super().clean()
        from outsourcing.engagements.choices import EngagementForm

        errors: dict[str, Any] = {}
        engagement = self.engagement if self.engagement_id else None
        if self.side == TeamSide.VENDOR:
            if not self.member_id:
                errors["member_id"] = _("Choose the vendor's team member.")
            elif engagement and self.member.vendor_id != engagement.vendor_id:  # type: ignore[union-attr]
                errors["member_id"] = _("This person does not work for the engagement's vendor.")
            elif self.start_date and not self.member.employed_on(self.start_date):  # type: ignore[union-attr]
                errors["member_id"] = _(
                    "%(name)s is not employed by the vendor on the start date %(date)s (hired %(hired)s%(left)s)."
                ) % {
                    "name": self.member.full_name,  # type: ignore[union-attr]
                    "date": self.start_date,
                    "hired": self.member.hire_date,  # type: ignore[union-attr]
                    "left": _(", left %(left)s") % {"left": self.member.left_date}  # type: ignore[union-attr]
                    if self.member.left_date  # type: ignore[union-attr]
                    else "",
                }
            if self.owner_user_id or self.owner_name:
                errors["owner_name"] = _("Only owner-side places name the owner's staff.")
        else:
            if engagement and engagement.form != EngagementForm.CO_SOURCING:
                errors["side"] = _("Only co-sourcing engagements have owner-side team members.")
            if self.member_id:
                errors["member_id"] = _("Owner-side places hold the owner's staff, not a vendor's member.")
            if not self.owner_user_id and not self.owner_name.strip():
                errors["owner_name"] = _("Name the owner's staff member (a user or a name).")
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.end_date and not self.leave_reason:
            errors["leave_reason"] = _("Give the reason for leaving the team.")
        if errors:
            raise ValidationError(errors)


class Waiver(VendorOwned, models.Model):
    """The owner's recorded, justified and expiring exception that lets one person work on one engagement
    although they fail an eligibility condition ("in principle" in the seed)."""

    engagement = models.ForeignKey(
        "engagements.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="waivers",
    )
    member = models.ForeignKey(TeamMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="waivers")
    justification = models.TextField(_("justification"), max_length=2000, validators=[MinLengthValidator(10)])
    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_until = models.DateField(_("valid until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        indexes = [models.Index(fields=["engagement", "member"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.valid_from}–{self.valid_until}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id if self.engagement_id else None

    def valid_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until

    def clean(self) -> None:
        super().clean()
        self.justification = (self.justification or "").strip()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("A waiver cannot expire before it starts.")})
        if self.engagement_id and self.member_id and self.member.vendor_id != self.engagement.vendor_id:
            raise ValidationError({"member_id": _("This person does not work for the engagement's vendor.")})


class Replacement(VendorOwned, models.Model):
    """The vendor's proposal to replace one person on an engagement's team by another of its people.

    Replacing a key person takes effect only when the owner approves; any other replacement at once.
    """

    vendor_maintained = True

    engagement = models.ForeignKey(
        "engagements.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    outgoing = models.ForeignKey(
        TeamAssignment, verbose_name=_("outgoing"), on_delete=models.PROTECT, related_name="replacements"
    )
    successor = models.ForeignKey(TeamMember, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000, validators=[MinLengthValidator(3)])
    effective_date = models.DateField(_("effective date"), help_text=_("The successor's first day."))
    key_person = models.BooleanField(_("key person"), default=False, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReplacementStatus.choices, default=ReplacementStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=1000, blank=True)
    new_assignment = models.ForeignKey(
        TeamAssignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReplacementQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("replacement")
        verbose_name_plural = _("replacements")
        indexes = [models.Index(fields=["status"]), models.Index(fields=["engagement", "status"])]

    def __str__(self) -> str:
        return f"{self.outgoing.person_name} → {self.successor}"

    @property
    def owning_vendor_id(self) -> int | None:
        return self.engagement.vendor_id if self.engagement_id else None

    @property
    def status_tone(self) -> str:
        return REPLACEMENT_TONE[ReplacementStatus(self.status)]

    def clean(self) -> None:
        super().clean()
        self.reason = (self.reason or "").strip()
        errors: dict[str, Any] = {}
        if self.outgoing_id and self.engagement_id:
            outgoing = self.outgoing
            if outgoing.engagement_id != self.engagement_id:
                errors["outgoing_id"] = _("This place is on another engagement's team.")
            elif outgoing.side != TeamSide.VENDOR:
                errors["outgoing_id"] = _("Only the vendor's people are replaced this way.")
            elif outgoing.end_date is not None and self._state.adding:
                errors["outgoing_id"] = _("This person has already left the team.")
            elif self.effective_date and self.effective_date <= outgoing.start_date:
                errors["effective_date"] = _("The replacement must start after the outgoing person joined.")
        if self.successor_id and self.engagement_id:
            if self.successor.vendor_id != self.engagement.vendor_id:
                errors["successor_id"] = _("The successor does not work for the engagement's vendor.")
            elif self.outgoing_id and self.successor_id == self.outgoing.member_id:
                errors["successor_id"] = _("A person cannot replace themselves.")
            elif self.effective_date and not self.successor.employed_on(self.effective_date):
                errors["successor_id"] = _("The successor is not employed by the vendor on the effective date.")
            elif (
                self._state.adding
                and TeamAssignment.objects.filter(
                    engagement_id=self.engagement_id, member_id=self.successor_id, end_date__isnull=True
                ).exists()
            ):
                errors["successor_id"] = _("The successor is already on the team.")
        if errors:
            raise ValidationError(errors)


def stuck_before() -> datetime.datetime:
    """An unfinished import job last touched before this moment is stuck (the one home of that rule)."""
    return timezone.now() - datetime.timedelta(minutes=settings.OUTSOURCING_JOB_STUCK_MINUTES)


class ImportJobQuerySet(VendorScopedQuerySet):
    def failed_or_stuck(self) -> ImportJobQuerySet:
        finished = [ImportStatus.DONE, ImportStatus.FAILED]
        return self.filter(Q(status=ImportStatus.FAILED) | (~Q(status__in=finished) & Q(updated_at__lt=stuck_before())))


def _import_path(instance: ImportJob, filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ImportJob(VendorOwned, models.Model):
    """One upload of a vendor's roster file (CSV or XLSX) and how its import went, row by row."""

    vendor_maintained = True

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="roster_imports")
    file = models.FileField(upload_to=_import_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text=_("The first row errors (bounded)."))
    error_count = models.PositiveIntegerField(default=0, help_text=_("How many row errors there were in all."))
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def stuck(self) -> bool:
        """Unfinished and untouched for longer than any import takes (its worker was lost, or none runs)."""
        return not self.finished and self.updated_at < stuck_before()

    @property
    def more_errors(self) -> int:
        return max(0, self.error_count - len(self.errors))

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
