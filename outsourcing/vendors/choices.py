from django.db import models
from django.utils.translation import gettext_lazy as _


class VendorStatus(models.TextChoices):
    PROSPECTIVE = "prospective", _("Prospective")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")
    BLOCKED = "blocked", _("Blocked")


# The colour a status shows with everywhere (always beside its word): green ok, amber attention, red blocked.
STATUS_TONE = {
    VendorStatus.PROSPECTIVE: "grey",
    VendorStatus.APPROVED: "green",
    VendorStatus.SUSPENDED: "amber",
    VendorStatus.BLOCKED: "red",
}
