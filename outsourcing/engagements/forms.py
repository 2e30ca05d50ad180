"""Web forms; each hands its cleaned data to the matching action, which holds the rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from outsourcing.accounts.models import User
from outsourcing.core.forms import ActionForm
from outsourcing.core.pickers import PickerField
from outsourcing.vendors.models import Vendor

from .actions import AGREEMENT_FIELDS
from .choices import Acceptance
from .models import BenefitTerms, Deliverable, Engagement, ServiceAgreement, SlaMetric

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EngagementForm(ActionForm):
    model = Engagement
    model_fields = (
        "code",
        "title",
        "form",
        "vendor",
        "internal_unit",
        "department",
        "manager",
        "is_operations_maintenance",
        "start_date",
        "end_date",
        "min_tenure_months",
        "min_experience_months",
        "required_team_size",
        "description",
    )
    widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vendor = self.fields["vendor"]
        self.fields["vendor"] = PickerField(
            kind="vendor",
            queryset=Vendor.objects.order_by("name", "pk"),
            required=vendor.required,
            label=vendor.label,
            help_text=vendor.help_text,
        )
        manager = self.fields["manager"]
        manager.queryset = User.objects.filter(role__in=["admin", "manager"], is_active=True).order_by(  # type: ignore[attr-defined]
            "username"
        )

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        vendor = data.pop("vendor", None)
        manager = data.pop("manager", None)
        data["vendor_id"] = vendor.pk if vendor else None
        data["manager_id"] = manager.pk if manager else None
        return data


class AgreementForm(ActionForm):
    model = ServiceAgreement
    model_fields = AGREEMENT_FIELDS  # the fields the action writes: one list
    widgets = {"start_date": DATE, "end_date": DATE, "terminated_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("decision_lead_days", "renewal_months"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        defaults = {"decision_lead_days": 60, "renewal_months": 12}
        for name, default in defaults.items():
            if data.get(name) is None:  # left empty: keep what the agreement has, or the default
                current = getattr(self.record, name, None)
                data[name] = default if current is None else current
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Signed copy (PDF, DOCX or image)"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("service_agreement", _("Signed service agreement")),
            ("agreement_amendment", _("Agreement amendment")),
        ],
    )


class NoticeForm(forms.Form):
    given_on = forms.DateField(
        label=_("Notice given on"), widget=DATE, help_text=_("No later than the notice deadline of the current term.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class VersionForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    effective_to = forms.DateField(
        label=_("Effective to"), widget=DATE, required=False, help_text=_("Empty: until the agreement ends.")
    )
    changes = forms.CharField(label=_("What changed"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    signed_by = forms.CharField(label=_("Signed by"), max_length=200)


class DeliverableForm(ActionForm):
    model = Deliverable
    model_fields = ("title", "description", "due_date", "delivered_on")
    widgets = {"due_date": DATE, "delivered_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        # No decision is preselected: accepting a deliverable is a choice, not what an unread form submits.
        label=_("Decision"),
        choices=[("", "—"), (Acceptance.ACCEPTED, _("Accept")), (Acceptance.REJECTED, _("Reject"))],
    )
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE, required=False)
    reason = forms.CharField(
        label=_("Reasons"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting."),
    )


def parse_table(text: str, field: str) -> list[tuple[Decimal, Decimal]]:
    """Lines of "threshold percent" (e.g. "0.5 10") into pairs; a bad line is named in the error."""
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.replace(",", " ").replace(";", " ").replace("%", " ").split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise InvalidOperation
            pairs.append((Decimal(parts[0]), Decimal(parts[1])))
        except InvalidOperation as exc:
            raise ValidationError(
                _("Line %(n)s: write two numbers, the threshold and the percentage.") % {"n": number},
                code=field,
            ) from exc
    return pairs


class MetricForm(ActionForm):
    bands = forms.CharField(
        label=_("Service-credit bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One band a line: shortfall from which it applies, then the credit in percent of the "
            "period's fee. Example: “0.1 5” then “0.5 10”. "
            "A shortfall exactly on a threshold falls in that band."
        ),
    )

    model = SlaMetric
    model_fields = ("name", "unit", "target", "higher_is_better", "period", "weight")

    def __init__(self, *args: Any, record: SlaMetric | None = None, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_bound:
            self.initial["bands"] = "\n".join(f"{s} {p}" for s, p in record.band_pairs())

    def clean_bands(self) -> list[tuple[Decimal, Decimal]]:
        return parse_table(self.cleaned_data.get("bands", ""), "bands")


class MeasurementForm(forms.Form):
    metric: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Metric"), queryset=SlaMetric.objects.none())
    period = forms.DateField(
        label=_("Period start"),
        widget=DATE,
        help_text=_(
            "First day of the month (or of the quarter). Only a period that is over can be recorded, once; "
            "to change a recorded value, correct it."
        ),
    )
    value = forms.DecimalField(
        label=_("Measured value"),
        max_digits=16,
        decimal_places=4,
        help_text=_("Not negative; a percentage lies between 0 and 100."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = SlaMetric.objects.filter(engagement=engagement)  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    value = forms.DecimalField(label=_("Corrected value"), max_digits=16, decimal_places=4)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history with the old and the new value."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns: metric, period (YYYY-MM), value, note. Either every row is imported or none."),
    )


class TermsForm(ActionForm):
    tiers = forms.CharField(
        label=_("Tiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, one a line: benefit from which a higher share applies, then that share in %."),
    )

    model = BenefitTerms
    model_fields = ("measure", "unit", "baseline", "direction", "share_percent", "cap")

    def __init__(self, *args: Any, record: BenefitTerms | None = None, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_bound:
            self.initial["tiers"] = "\n".join(f"{s} {p}" for s, p in record.tier_pairs())

    def clean_tiers(self) -> list[tuple[Decimal, Decimal]]:
        return parse_table(self.cleaned_data.get("tiers", ""), "tiers")


class BenefitPeriodForm(forms.Form):
    period_start = forms.DateField(label=_("Month"), widget=DATE, help_text=_("First day of the month."))
    measured = forms.DecimalField(label=_("Measured result"), max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TransitionForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput, max_length=16)
    override_reason = forms.CharField(
        label=_("Override reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only to activate despite blockers: who decided and why is recorded."),
    )


class TransferForm(forms.Form):
    vendor = PickerField(label=_("New vendor"), kind="vendor", queryset=Vendor.objects.order_by("name", "pk"))
    on = forms.DateField(
        label=_("Places end on"),
        required=False,
        help_text=_("Every place of the current vendor's people ends on this day (default today)."),
    )
