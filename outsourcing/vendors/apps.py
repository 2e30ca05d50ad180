from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "outsourcing.vendors"
    label = "vendors"
    verbose_name = _("Vendors")
    nav = [("vendors", _("Vendors"), "vendors:list", 10)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import (
            register_activation_check,
            register_dashboard_cards,
            register_vendor_blocker,
        )

        from . import integration, models

        register_dashboard_cards(integration.cards)
        register_vendor_blocker(integration.status_blockers)
        register_activation_check(integration.activation_blockers, many=integration.activation_blockers_many)

        auditlog.register(models.Vendor)
        auditlog.register(models.VendorContact)
