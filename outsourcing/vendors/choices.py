from django.db import models
from django.utils.translation import gettext_lazy as _


class VendorStatus(models.TextChoices):
    PROSPECTIVE = "prospective", _("Prospective")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")
    BLOCKED = "blocked", _("Blocked")


# A vendor in one of these statuses is not chosen for new work (engagements, comparisons, processing orders).
CLOSED_TO_NEW_WORK = frozenset({VendorStatus.SUSPENDED, VendorStatus.BLOCKED})

# The colour a status shows with everywhere (always beside its word): green ok, amber attention, red blocked.
STATUS_TONE = {
    VendorStatus.PROSPECTIVE: "grey",
    VendorStatus.APPROVED: "green",
    VendorStatus.SUSPENDED: "amber",
    VendorStatus.BLOCKED: "red",
}


class RiskTier(models.TextChoices):
    """How much the owner depends on a vendor: it sets how often the vendor is examined again."""

    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    STANDARD = "standard", _("Standard")


# Months between two management-system examinations of a vendor (SPEC "Activation gate"); a vendor with no
# tier set is examined as often as a critical one, so that forgetting to classify it never relaxes the cycle.
REEXAMINATION_MONTHS = {RiskTier.CRITICAL: 12, RiskTier.HIGH: 24, RiskTier.STANDARD: 36}
REEXAMINATION_MONTHS_UNSET = 12
