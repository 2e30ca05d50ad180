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


# Which moves of the lifecycle are allowed; anything else is refused with a clear message.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    EngagementStatus.DRAFT: (EngagementStatus.SELECTION, EngagementStatus.TERMINATED),
    EngagementStatus.SELECTION: (
        EngagementStatus.DRAFT,
        EngagementStatus.ACTIVE,
        EngagementStatus.TERMINATED,
    ),
    EngagementStatus.ACTIVE: (EngagementStatus.CLOSING, EngagementStatus.TERMINATED),
    EngagementStatus.CLOSING: (EngagementStatus.CLOSED, EngagementStatus.TERMINATED),
    EngagementStatus.CLOSED: (),
    EngagementStatus.TERMINATED: (),
}


class AgreementState(models.TextChoices):
    """Derived from the agreement's dates, notice and renewal on the day it is read, never stored; in SPEC's
    order ("Agreement deadlines"): the first that holds is the state."""

    TERMINATED = "terminated", _("Terminated")
    UPCOMING = "upcoming", _("Upcoming")
    EXPIRED = "expired", _("Expired")
    ENDING = "ending", _("Ending on notice")
    DECISION_DUE = "decision_due", _("Decision due")
    RENEWING = "renewing", _("Renewing")
    EXPIRING = "expiring", _("Expiring")
    ACTIVE = "active", _("Active")


AGREEMENT_TONE = {
    AgreementState.TERMINATED: "red",
    AgreementState.UPCOMING: "grey",
    AgreementState.EXPIRED: "red",
    AgreementState.ENDING: "amber",
    AgreementState.DECISION_DUE: "amber",
    AgreementState.RENEWING: "green",
    AgreementState.EXPIRING: "amber",
    AgreementState.ACTIVE: "green",
}


class Acceptance(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


ACCEPTANCE_TONE = {Acceptance.PENDING: "grey", Acceptance.ACCEPTED: "green", Acceptance.REJECTED: "red"}


class MeasurementPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class BenefitDirection(models.TextChoices):
    """Whether the benefit is a rise (extra revenue) or a fall (saved cost) against the baseline."""

    INCREASE = "increase", _("Increase over baseline")
    DECREASE = "decrease", _("Decrease below baseline")


# Which per-form records an engagement of each form keeps (the rest of the UI and API refuse them).
SLA_FORMS = frozenset({EngagementForm.SERVICE, EngagementForm.INSOURCING, EngagementForm.CO_SOURCING})
DELIVERABLE_FORMS = frozenset({EngagementForm.CONTRACTING_OUT, EngagementForm.INSOURCING, EngagementForm.CO_SOURCING})
BENEFIT_FORMS = frozenset({EngagementForm.BENEFIT_BASED})
