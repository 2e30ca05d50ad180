from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outsourcing.core.forms import ActionForm, MultipleFileField

from .choices import Frequency

DATE = forms.DateInput(attrs={"type": "date"})


class ScheduleForm(ActionForm):
    model_fields = ("frequency", "first_period_start", "due_days")
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    first_period_start = forms.DateField(label=_("First period starts"), widget=DATE)
    due_days = forms.IntegerField(label=_("Due days after period end"), min_value=0, max_value=90, initial=10)


class ReportForm(forms.Form):
    period_start = forms.TypedChoiceField(label=_("Period"), choices=[])
    project_management = forms.CharField(
        label=_("Project management"),
        max_length=10000,
        widget=forms.Textarea,
        help_text=_("How the project was planned, controlled and staffed; the company's oversight."),
    )
    appraisal_execution = forms.CharField(
        label=_("Performance appraisal"),
        max_length=10000,
        widget=forms.Textarea,
        help_text=_("How the team's short- and long-term performance was appraised and rewarded."),
    )
    resources = forms.CharField(
        label=_("Resources"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    service_level = forms.CharField(
        label=_("Service level"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, periods: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import datetime

        field = self.fields["period_start"]
        field.choices = [(p.start.isoformat(), f"{p.start} – {p.end}") for p in periods]  # type: ignore[attr-defined]
        field.coerce = datetime.date.fromisoformat  # type: ignore[attr-defined]


class WriteReportForm(forms.Form):
    """The vendor's report for one period: the period is the page's, the text may come from a saved draft."""

    project_management = ReportForm.base_fields["project_management"]
    appraisal_execution = ReportForm.base_fields["appraisal_execution"]
    resources = ReportForm.base_fields["resources"]
    service_level = ReportForm.base_fields["service_level"]
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX; attached when you submit the report."),
    )


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppraisalForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    inspection = forms.DecimalField(
        label=_("Inspection and defects (0–100)"),
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text=_("Incoming inspection pass rate or defect score for the period."),
    )
    comments = forms.CharField(
        label=_("Comments"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
