from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    EMPLOYMENT_CONTRACT = "employment_contract", _("Employment contract")
    QUALIFICATION_CERTIFICATE = "qualification_certificate", _("Qualification certificate")
    ASSESSMENT_EVIDENCE = "assessment_evidence", _("Assessment evidence")
    SERVICE_AGREEMENT = "service_agreement", _("Signed service agreement")
    AGREEMENT_AMENDMENT = "agreement_amendment", _("Agreement amendment")
    IMPLEMENTATION_REPORT = "implementation_report", _("Implementation report")
    DELIVERABLE_ACCEPTANCE = "deliverable_acceptance", _("Deliverable acceptance")
    WAIVER_JUSTIFICATION = "waiver_justification", _("Waiver justification")
    OTHER = "other", _("Other")


class FileType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
