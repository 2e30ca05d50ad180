from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "outsourcing.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
    nav = [("assessments", _("Assessments"), "assessments:list", 40)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core import registry

        from . import contributions, models

        for model in (
            models.AssessmentSettings,
            models.AssessmentTemplate,
            models.TemplateSection,
            models.TemplateItem,
            models.Assessment,
            models.Answer,
            models.Finding,
        ):
            auditlog.register(model, exclude_fields=["result"] if model is models.Assessment else None)
        registry.register_vendor_criterion(contributions.ASSESSMENT_SCORE)
        registry.register_activation_check(contributions.assessment_gate, reads=("vendor",))
        for code, (label, order) in contributions.ISSUE_KINDS.items():
            registry.register_issue_kind(code, label, order)
        registry.register_blocker_label("critical_finding", _("Critical finding"))
        registry.register_dashboard_cards(contributions.dashboard_cards)
        from . import reexamination

        registry.register_daily_job(reexamination.do_start_due_reexaminations)
        registry.register_reminder_source(reexamination.reexamination_reminders)
        registry.register_dashboard_cards(reexamination.dashboard_cards)
