from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "outsourcing.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from outsourcing.core.registry import register_notifier

        from .actions import deliver

        register_notifier(deliver)
