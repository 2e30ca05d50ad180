from django.db import models
from django.utils.translation import gettext_lazy as _


class TypeCategory(models.TextChoices):
    """What kind of proof a qualification type is (for grouping the catalogue)."""

    CAPABILITY = "capability", _("Capability licence")
    MATURITY = "maturity", _("Process maturity")
    MANAGEMENT_SYSTEM = "management_system", _("Management system certification")
    OTHER = "other", _("Other")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class DerivedStatus(models.TextChoices):
    """A qualification's standing on a date, always computed from its dates and verification, never stored.

    Order of precedence: rejected, unverified, expired, not yet valid, expiring (within 30 days), valid.
    Only `valid` and `expiring` count.
    """

    VALID = "valid", _("Counts")
    EXPIRING = "expiring", _("Expiring within 30 days")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    UNVERIFIED = "unverified", _("Unverified")
    REJECTED = "rejected", _("Rejected")


STATUS_TONE = {
    DerivedStatus.VALID: "green",
    DerivedStatus.EXPIRING: "amber",
    DerivedStatus.EXPIRED: "red",
    DerivedStatus.NOT_YET_VALID: "grey",
    DerivedStatus.UNVERIFIED: "amber",
    DerivedStatus.REJECTED: "red",
}

# A certificate whose validity ends within this many days (today included) is "expiring".
EXPIRING_WITHIN_DAYS = 30


class ReadingStatus(models.TextChoices):
    """Where reading a certificate file stands (a background task reads it after upload)."""

    PENDING = "pending", _("Waiting to be read")
    RUNNING = "running", _("Being read")
    READ = "read", _("Read")
    NOT_READ = "not_read", _("Not read")


class FieldVerdict(models.TextChoices):
    """A field read from a certificate against the qualification as typed."""

    MATCHES = "matches", _("Matches")
    DIFFERS = "differs", _("Differs")
    NOT_FOUND = "not_found", _("Not found")


FIELD_VERDICT_TONE = {FieldVerdict.MATCHES: "green", FieldVerdict.DIFFERS: "red", FieldVerdict.NOT_FOUND: "grey"}
