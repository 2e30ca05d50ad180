from django.db import models
from django.utils.translation import gettext_lazy as _


class EngagementForm(models.TextChoices):
    """The five outsourcing forms of the seed."""

    CONTRACTING_OUT = "contracting_out", _("Contracting out the activities")
    SERVICE = "service", _("Outsourcing the service")
    INSOURCING = "insourcing", _("Insourcing")
    CO_SOURCING = "co_sourcing", _("Co-sourcing")
    BENEFIT_BASED = "benefit_based", _("Benefit-based relationship")


class EngagementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SELECTION = "selection", _("Vendor selection")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Terminated")


STATUS_TONE = {
    EngagementStatus.DRAFT: "grey",
    EngagementStatus.SELECTION: "amber",
    EngagementStatus.ACTIVE: "green",
    EngagementStatus.CLOSING: "amber",
    EngagementStatus.CLOSED: "grey",
    EngagementStatus.TERMINATED: "red",
}
