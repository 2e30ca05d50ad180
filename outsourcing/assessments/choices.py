from django.db import models
from django.utils.translation import gettext_lazy as _


class Scale(models.TextChoices):
    """How an item is answered and scored: a 0–4 maturity rating or a plain yes/no."""

    ZERO_TO_FOUR = "0_4", _("0–4 rating")
    YES_NO = "yes_no", _("Yes / no")


SCALE_MAX = {Scale.ZERO_TO_FOUR: 4, Scale.YES_NO: 1}
SCALE_VALUES = {Scale.ZERO_TO_FOUR: ["0", "1", "2", "3", "4"], Scale.YES_NO: ["yes", "no"]}


class ItemSource(models.TextChoices):
    VENDOR = "vendor", _("Answered by the vendor")
    CRITERION = "criterion", _("Filled from the system's own data")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the vendor")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for correction")
    COMPLETED = "completed", _("Completed")


STATUS_TONE = {
    AssessmentStatus.DRAFT: "grey",
    AssessmentStatus.SENT: "amber",
    AssessmentStatus.SUBMITTED: "amber",
    AssessmentStatus.IN_REVIEW: "amber",
    AssessmentStatus.RETURNED: "red",
    AssessmentStatus.COMPLETED: "green",
}


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", _("Approve with conditions")
    REJECT = "reject", _("Reject")


RECOMMENDATION_TONE = {
    Recommendation.APPROVE: "green",
    Recommendation.APPROVE_WITH_CONDITIONS: "amber",
    Recommendation.REJECT: "red",
}


class Severity(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


SEVERITY_TONE = {
    Severity.OBSERVATION: "grey",
    Severity.MINOR: "amber",
    Severity.MAJOR: "red",
    Severity.CRITICAL: "red",
}
