from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "outsourcing.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    nav = [("admin", _("Admin"), "accounts:users", 100)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
        auditlog.register(models.Invitation, exclude_fields=["nonce"])
