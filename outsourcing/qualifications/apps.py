from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationsConfig(AppConfig):
    name = "outsourcing.qualifications"
    label = "qualifications"
    verbose_name = _("Qualifications")
    nav = [("qualifications", _("Qualifications"), "qualifications:list", 25)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import (
            VendorCriterion,
            register_activation_check,
            register_dashboard_cards,
            register_reminder_source,
            register_vendor_blocker,
            register_vendor_criterion,
        )

        from . import models, reminders, services
        from .dashboard import qualification_cards

        auditlog.register(models.QualificationType)
        auditlog.register(models.Qualification)
        auditlog.register(models.QualificationRequirement)

        register_activation_check(services.activation_blockers, many=services.activation_blockers_many)
        register_vendor_blocker(services.vendor_blockers, many=services.vendor_blockers_many)
        register_vendor_criterion(
            VendorCriterion("qualification_fit", _("Qualification fit"), services.qualification_fit)
        )
        register_dashboard_cards(qualification_cards)
        register_reminder_source(reminders.expiring_certificates)
