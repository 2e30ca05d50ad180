from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification is about; a user chooses per kind whether it also arrives by e-mail."""

    QUALIFICATION_EXPIRING = "qualification_expiring", _("Certificate expiring")
    AGREEMENT_DECISION = "agreement_decision", _("Agreement decision due")
    AGREEMENT_RENEWED = "agreement_renewed", _("Agreement renewed")
    REPORT_DUE = "report_due", _("Implementation report due")
    REPORT_OVERDUE = "report_overdue", _("Implementation report overdue")
    REPORT_RETURNED = "report_returned", _("Implementation report returned")
    WAIVER_EXPIRING = "waiver_expiring", _("Waiver expiring")
    DELIVERABLE_DUE = "deliverable_due", _("Deliverable due")
    REEXAMINATION_DUE = "reexamination_due", _("Re-examination due")
    SLA_BREACH = "sla_breach", _("SLA breach")
    REPLACEMENT_PENDING = "replacement_pending", _("Key-person replacement awaiting approval")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment submitted")
    ASSESSMENT_RETURNED = "assessment_returned", _("Assessment returned")
    INVITATION = "invitation", _("Invitation")
