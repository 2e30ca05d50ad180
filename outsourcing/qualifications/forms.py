from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outsourcing.core.forms import ActionForm

from .choices import VerificationMethod
from .models import LEVEL_LIMIT, Qualification, QualificationRequirement, QualificationType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVIDENCE_HELP = _("PDF, PNG, JPEG, DOCX or XLSX, checked by content. The scan of the certificate.")


class QualificationForm(ActionForm):
    """A certificate's facts, with an optional evidence file attached in the same step."""

    evidence = forms.FileField(label=_("Evidence file"), required=False, help_text=EVIDENCE_HELP)
    model = Qualification
    model_fields = ("type", "level", "number", "issuer", "scope", "valid_from", "valid_until")
    widgets = {"valid_from": DATE, "valid_until": DATE, "scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, renewal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = QualificationType.objects.order_by("category", "code")  # type: ignore[attr-defined]
        if renewal:
            del self.fields["type"]
        if self.record is not None and not renewal:
            del self.fields["evidence"]  # evidence of an existing certificate is added on its page


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The vendor sees this and can correct the certificate."),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"), help_text=EVIDENCE_HELP)


class RequirementForm(ActionForm):
    model = QualificationRequirement
    model_fields = ("type", "min_level")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = QualificationType.objects.order_by("category", "code")  # type: ignore[attr-defined]
        self.fields["min_level"].widget.attrs.update({"min": 0, "max": LEVEL_LIMIT})


class QualificationTypeForm(ActionForm):
    model = QualificationType
    model_fields = ("code", "name", "category", "has_levels", "min_level", "max_level", "description")
    widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.record is not None:
            self.fields["code"].disabled = True  # integrators rely on the code
        self.fields["min_level"].help_text = _("Only for types with levels. A higher number is the higher grade.")


class VerifyForm(forms.Form):
    """How a certificate was checked: asked for every verification, one or many at once."""

    method = forms.ChoiceField(
        label=_("How it was checked"), choices=[("", "—"), *VerificationMethod.choices], required=False
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        required=False,
        help_text=_("E.g. the register's query number, or who saw the original and where."),
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
