from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "outsourcing.engagements"
    label = "engagements"
    verbose_name = _("Engagements")
    nav = [("engagements", _("Engagements"), "engagements:list", 20)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import (
            VendorCriterion,
            register_daily_job,
            register_dashboard_cards,
            register_reminder_source,
            register_vendor_criterion,
        )

        from . import actions, models, reminders, reports

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
        register_vendor_criterion(
            VendorCriterion("past_performance", _("Past performance (SLA attainment)"), reports.past_performance)
        )
        register_dashboard_cards(reports.dashboard_cards)
        register_daily_job(actions.do_renew_due_agreements)
        register_reminder_source(reminders.agreement_reminders)
        register_reminder_source(reminders.deliverable_reminders)
