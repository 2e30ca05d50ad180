from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "outsourcing.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from outsourcing.core.registry import register_document_store

        from . import actions, models

        register_document_store(
            attach=actions.do_attach_document, delete=actions.do_delete_document, check=actions.validate_upload
        )
        auditlog.register(models.Document, exclude_fields=["file"])
