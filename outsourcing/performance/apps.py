from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "outsourcing.performance"
    label = "performance"
    verbose_name = _("Performance")
    nav = [("reports", _("Reports"), "performance:index", 50)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core import registry

        from . import contributions, models

        for model in (models.ReportSchedule, models.ImplementationReport, models.ReportDraft, models.Appraisal):
            auditlog.register(model)
        registry.register_dashboard_cards(contributions.dashboard_cards)
        registry.register_vendor_blocker(contributions.standing_blockers)
        registry.register_activation_check(contributions.vendor_standing, reads=("vendor",))
        for code, (label, order) in contributions.ISSUE_KINDS.items():
            registry.register_issue_kind(code, label, order)
        registry.register_blocker_label("standing_probation", _("Standing: probation"))
        registry.register_blocker_label("standing_blocked", _("Standing: blocked"))
        registry.register_vendor_criterion(
            registry.VendorCriterion("appraisal", _("Long-term appraisal"), contributions.appraisal_criterion)
        )
        from .reminders import report_reminders

        registry.register_reminder_source(report_reminders)
