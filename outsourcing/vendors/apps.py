from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "outsourcing.vendors"
    label = "vendors"
    verbose_name = _("Vendors")
    nav = [("vendors", _("Vendors"), "vendors:list", 10)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core import registry

        from . import contributions, models

        registry.register_dashboard_cards(contributions.cards)
        registry.register_vendor_blocker(contributions.status_blockers)
        registry.register_activation_check(contributions.vendor_not_approved, reads=("vendor",))
        for code, (label, order) in contributions.ISSUE_KINDS.items():
            registry.register_issue_kind(code, label, order)
        registry.register_blocker_label("vendor_suspended", _("Vendor suspended"))
        registry.register_blocker_label("vendor_blocked", _("Vendor blocked"))

        auditlog.register(models.Vendor)
        auditlog.register(models.VendorContact)
