from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "outsourcing.core"
    label = "core"
    verbose_name = _("Core")
    nav = [
        ("dashboard", _("Dashboard"), "core:dashboard", 0),
        ("audit", _("Audit trail"), "core:audit", 90),
    ]

    def ready(self) -> None:
        from . import pdf  # noqa: F401  (registers the system check that names a missing PDF font)
