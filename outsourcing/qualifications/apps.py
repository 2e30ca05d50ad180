from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationsConfig(AppConfig):
    name = "outsourcing.qualifications"
    label = "qualifications"
    verbose_name = _("Qualifications")
    nav = [("qualifications", _("Qualifications"), "qualifications:list", 25)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core import registry

        from . import contributions, models, reminders

        auditlog.register(models.QualificationType)
        auditlog.register(models.Qualification)
        auditlog.register(models.QualificationRequirement)

        registry.register_activation_check(contributions.qualification_missing, reads=("vendor",))
        for code, (label, order) in contributions.ISSUE_KINDS.items():
            registry.register_issue_kind(code, label, order)
        registry.register_engagement_issue(contributions.qualification_expires_in_term, reads=("vendor", "end_date"))
        registry.register_vendor_blocker(contributions.vendor_blockers)
        registry.register_vendor_criterion(
            registry.VendorCriterion("qualification_fit", _("Qualification fit"), contributions.qualification_fit)
        )
        registry.register_dashboard_cards(contributions.qualification_cards)
        registry.register_reminder_source(reminders.expiring_certificates)
