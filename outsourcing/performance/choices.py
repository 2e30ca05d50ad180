from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3}


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with comments")


# Reports still open on the owner's side or the vendor's: submitted and not yet accepted, or returned with comments
# (the reports page's list and the dashboard's counts).
AWAITING_REVIEW = [ReportStatus.SUBMITTED, ReportStatus.RETURNED]


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    NOT_DUE = "not_due", _("Not yet due")


class Dimension(models.TextChoices):
    """The parts of a short-term appraisal (`Appraisal.explanation` names them by these codes)."""

    QUALITY = "quality", _("Quality")
    INSPECTION = "inspection", _("Inspection")
    TIMELINESS = "timeliness", _("Timeliness")
    STABILITY = "stability", _("Stability")


class Standing(models.TextChoices):
    """A vendor's standing from its appraisals; probation and blocked stop new engagements."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    WATCH = "watch", _("Watch")
    PROBATION = "probation", _("Probation")
    BLOCKED = "blocked", _("Blocked")


STANDING_TONE = {
    Standing.EXCELLENT: "green",
    Standing.GOOD: "green",
    Standing.WATCH: "amber",
    Standing.PROBATION: "red",
    Standing.BLOCKED: "red",
}

# Lowest total score (0–100) for each standing, best first; below the last: blocked.
STANDING_THRESHOLDS = [
    (90, Standing.EXCELLENT),
    (75, Standing.GOOD),
    (60, Standing.WATCH),
    (40, Standing.PROBATION),
]
