from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "outsourcing.vendors"
    label = "vendors"
    verbose_name = _("Vendors")
    nav = [("vendors", _("Vendors"), "vendors:list", 10)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import register_dashboard_cards

        from . import dashboard, models

        register_dashboard_cards(dashboard.cards)

        auditlog.register(models.Vendor)
        auditlog.register(models.VendorContact)
