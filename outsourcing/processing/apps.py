from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    name = "outsourcing.processing"
    label = "processing"
    verbose_name = _("Processing")
    nav = [("processing", _("Processing"), "processing:list", 60)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import register_dashboard_cards

        from . import dashboard, models

        for model in (
            models.Item,
            models.BillOfMaterials,
            models.BomLine,
            models.ProcessingOrder,
            models.OrderLine,
            models.MaterialMovement,
            models.Dispatch,
            models.Receipt,
            models.ConsumptionReport,
            models.SettlementLine,
        ):
            auditlog.register(model)
        register_dashboard_cards(dashboard.cards)
