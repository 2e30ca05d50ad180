from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "outsourcing.performance"
    label = "performance"
    verbose_name = _("Performance")
    nav = [("reports", _("Reports"), "performance:index", 50)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import (
            VendorCriterion,
            register_dashboard_cards,
            register_reminder_source,
            register_vendor_blocker,
            register_vendor_criterion,
        )

        from . import integration, models

        for model in (models.ReportSchedule, models.ImplementationReport, models.Appraisal):
            auditlog.register(model)
        register_dashboard_cards(integration.dashboard_cards)
        register_vendor_blocker(integration.standing_blockers, many=integration.standing_blockers_many)
        register_vendor_criterion(
            VendorCriterion("appraisal", _("Long-term appraisal"), integration.appraisal_criterion)
        )
        from .reminders import report_reminders

        register_reminder_source(report_reminders)
