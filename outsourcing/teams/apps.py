from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "outsourcing.teams"
    label = "teams"
    verbose_name = _("Teams")
    nav = [("teams", _("Teams"), "teams:list", 30)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import (
            VendorCriterion,
            register_dashboard_cards,
            register_vendor_criterion,
        )

        from . import models
        from .contributions import dashboard_cards, double_booking_cards, team_stability_scores

        auditlog.register(models.TeamMember)
        auditlog.register(models.TeamAssignment)
        auditlog.register(models.Waiver)
        auditlog.register(models.Replacement)
        register_vendor_criterion(VendorCriterion("team_stability", _("Team stability"), team_stability_scores))
        register_dashboard_cards(dashboard_cards)
        register_dashboard_cards(double_booking_cards)
