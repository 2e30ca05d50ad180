from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "outsourcing.teams"
    label = "teams"
    verbose_name = _("Teams")
    nav = [("teams", _("Teams"), "teams:list", 30)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core import registry

        from . import contributions, models

        auditlog.register(models.TeamMember)
        auditlog.register(models.TeamAssignment)
        auditlog.register(models.Waiver)
        auditlog.register(models.Replacement)
        registry.register_activation_check(
            contributions.team_gate, reads=("form", "vendor", "min_tenure_months", "min_experience_months")
        )
        for code, (label, order) in contributions.ISSUE_KINDS.items():
            registry.register_issue_kind(code, label, order)
        registry.register_engagement_issue(contributions.booking_issues, reads=())
        for code, (label, order) in contributions.OWNER_ONLY_ISSUE_KINDS.items():
            registry.register_issue_kind(code, label, order, owner_only=True)
        registry.register_vendor_criterion(
            registry.VendorCriterion("team_stability", _("Team stability"), contributions.team_stability_scores)
        )
        registry.register_dashboard_cards(contributions.dashboard_cards)
        registry.register_dashboard_cards(contributions.double_booking_cards)
        from .reminders import waiver_reminders

        registry.register_reminder_source(waiver_reminders)
