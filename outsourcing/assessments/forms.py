from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outsourcing.core.forms import ActionForm
from outsourcing.core.pickers import PickerField
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from .actions import ITEM_FIELDS
from .choices import Severity
from .models import AssessmentSettings, AssessmentTemplate, TemplateItem, TemplateSection


class AssessmentCreateForm(forms.Form):
    vendor = PickerField(label=_("Vendor"), kind="vendor", queryset=Vendor.objects.none())
    template = forms.ModelChoiceField(label=_("Template"), queryset=AssessmentTemplate.objects.filter(is_active=True))
    engagement = PickerField(
        label=_("Engagement"),
        kind="engagement",
        queryset=Engagement.objects.none(),
        required=False,
        help_text=_("Optional: the engagement this vendor is examined for; leave empty for a general examination."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    due_date = forms.DateField(label=_("Answers due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start_from_last = forms.BooleanField(
        label=_("Start from the vendor's last answers"),
        required=False,
        help_text=_("Copies the answers of the vendor's last assessment; the vendor then only updates them."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user).order_by("name", "pk")  # type: ignore[attr-defined]
        self.fields["engagement"].queryset = Engagement.objects.visible_to(user).order_by("title", "pk")  # type: ignore[attr-defined]


class TemplateForm(ActionForm):
    model = AssessmentTemplate
    model_fields = ("name", "description", "is_active")
    widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SectionForm(ActionForm):
    model = TemplateSection
    model_fields = ("code", "title", "title_zh_hans", "description", "description_zh_hans", "order")
    # Each language's field says which language it holds (lang), for the browser's spelling and for readers.
    widgets = {
        "title": forms.TextInput(attrs={"lang": "en"}),
        "title_zh_hans": forms.TextInput(attrs={"lang": "zh-Hans"}),
        "description": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        "description_zh_hans": forms.Textarea(attrs={"rows": 3, "lang": "zh-Hans"}),
    }


class ItemForm(ActionForm):
    model = TemplateItem
    model_fields = ITEM_FIELDS  # the fields the action writes: one list
    widgets = {
        "text": forms.TextInput(attrs={"lang": "en"}),
        "text_zh_hans": forms.TextInput(attrs={"lang": "zh-Hans"}),
        "guidance": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        "guidance_zh_hans": forms.Textarea(attrs={"rows": 3, "lang": "zh-Hans"}),
    }

    def __init__(self, *args: Any, template: AssessmentTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = TemplateItem.objects.filter(section__template=template).select_related("section")
        if self.record is not None:
            choices = choices.exclude(pk=self.record.pk)
        self.fields["condition_item"].queryset = choices  # type: ignore[attr-defined]
        self.fields["condition_item"].label_from_instance = lambda i: f"{i.code} — {i.shown_text[:60]}"  # type: ignore[attr-defined]


MONTH_FIELDS = ("critical_months", "high_months", "standard_months", "unset_months")


class SettingsForm(ActionForm):
    model = AssessmentSettings
    model_fields = ("approve_threshold", "conditions_threshold", *MONTH_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in MONTH_FIELDS:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in MONTH_FIELDS:
            if data.get(name) is None:  # left out: keep the current cycle
                data[name] = getattr(self.record, name, None)
        return data


class FindingForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MINOR)
    item = forms.ModelChoiceField(label=_("Item"), queryset=TemplateItem.objects.none(), required=False)
    evidence = forms.ModelChoiceField(label=_("Evidence"), queryset=TemplateItem.objects.none(), required=False)
    description = forms.CharField(label=_("Finding"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, items: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda i: f"{i.code} — {i.shown_text[:60]}"  # type: ignore[attr-defined]
        self.fields["evidence"].queryset = documents  # type: ignore[attr-defined]


class CompleteForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
