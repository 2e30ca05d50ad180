from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "outsourcing.engagements"
    label = "engagements"
    verbose_name = _("Engagements")
    nav = [("engagements", _("Engagements"), "engagements:list", 20)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Engagement)
