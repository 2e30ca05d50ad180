from django.db import models
from django.utils.translation import gettext_lazy as _


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("Regular employee")
    CONTRACTOR = "contractor", _("Contractor")
    DISPATCHED = "dispatched", _("Dispatched (agency) worker")
    INTERN = "intern", _("Intern")
    PART_TIME = "part_time", _("Part-time")


class TeamSide(models.TextChoices):
    """In co-sourcing the owner's own staff sit on the same team as the vendor's."""

    VENDOR = "vendor", _("Vendor side")
    OWNER = "owner", _("Owner side")


class LeaveReason(models.TextChoices):
    REPLACED = "replaced", _("Replaced")
    RESIGNED = "resigned", _("Left the vendor")
    REASSIGNED = "reassigned", _("Reassigned by the vendor")
    REMOVED_BY_OWNER = "removed_by_owner", _("Removed at the owner's request")
    COMPLETED = "completed", _("Work completed")
    OTHER = "other", _("Other")


class Reason(models.TextChoices):
    """Stable reason codes of an eligibility verdict (SPEC, "Precise definitions")."""

    NOT_REGULAR_EMPLOYEE = "not_regular_employee", _("Not a regular employee")
    PROBATION_NOT_PASSED = "probation_not_passed", _("Probation not passed")
    CONTRACT_MISSING = "contract_missing", _("No employment contract on file")
    INSUFFICIENT_TENURE_AND_EXPERIENCE = (
        "insufficient_tenure_and_experience",
        _("Too little tenure and too little relevant experience"),
    )


class ReplacementStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the owner's approval")
    APPROVED = "approved", _("Approved")
    APPLIED = "applied", _("Applied (no approval needed)")
    REJECTED = "rejected", _("Rejected")


REPLACEMENT_TONE = {
    ReplacementStatus.PENDING: "amber",
    ReplacementStatus.APPROVED: "green",
    ReplacementStatus.APPLIED: "green",
    ReplacementStatus.REJECTED: "red",
}


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Validating rows")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused: nothing imported")
