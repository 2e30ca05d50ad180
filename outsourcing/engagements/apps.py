from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "outsourcing.engagements"
    label = "engagements"
    verbose_name = _("Engagements")
    nav = [("engagements", _("Engagements"), "engagements:list", 20)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core import registry

        from . import actions, contributions, models, reminders

        for model in (
            models.Engagement,
            models.ServiceAgreement,
            models.AgreementVersion,
            models.Deliverable,
            models.SlaMetric,
            models.CreditBand,
            models.Measurement,
            models.BenefitTerms,
            models.BenefitTier,
            models.BenefitPeriod,
        ):
            auditlog.register(model)
        registry.register_activation_check(contributions.no_signed_agreement, reads=())
        registry.register_activation_check(contributions.form_records, reads=("form",))
        for code, (label, order) in contributions.ISSUE_KINDS.items():
            registry.register_issue_kind(code, label, order)
        registry.register_vendor_criterion(
            registry.VendorCriterion(
                "past_performance", _("Past performance (SLA attainment)"), contributions.past_performance
            )
        )
        registry.register_dashboard_cards(contributions.dashboard_cards)
        registry.register_daily_job(actions.do_renew_due_agreements)
        registry.register_reminder_source(reminders.agreement_reminders)
        registry.register_reminder_source(reminders.deliverable_reminders)
