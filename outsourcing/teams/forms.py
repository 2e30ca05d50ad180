from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outsourcing.core.forms import ActionForm, MultipleFileField
from outsourcing.core.pickers import PickerField
from outsourcing.documents.choices import DocumentKind

from .choices import LeaveReason, TeamSide
from .imports import COLUMNS
from .models import TeamAssignment, TeamMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberForm(ActionForm):
    model = TeamMember
    model_fields = (
        "full_name",
        "employee_number",
        "employment_type",
        "title",
        "hire_date",
        "probation_end_date",
        "left_date",
        "prior_experience_months",
    )
    widgets = {"hire_date": DATE, "probation_end_date": DATE, "left_date": DATE}
    identity_number = forms.CharField(
        label=_("Identity card or passport number"),
        required=False,
        max_length=64,
        help_text=_(
            "Optional. Kept only as a keyed hash and its last four characters, to find a person employed by two "
            "vendors at once. Leave it blank to keep the one on file."
        ),
    )

    def clean_identity_number(self) -> str | None:
        return self.cleaned_data["identity_number"] or None  # blank: keep what is on file


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, initial=DocumentKind.EMPLOYMENT_CONTRACT)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG, DOCX or XLSX."))


class ContractsForm(forms.Form):
    contracts = MultipleFileField(
        label=_("Contract files"),
        help_text=_(
            "Each file's name carries the person's employee number on its own, e.g. E0042_劳动合同.pdf or "
            "张三 E0042.pdf; PDF, PNG, JPEG, DOCX or XLSX. One file that fits nobody or is refused stores none."
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Roster file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The column names are what the file must say, in every language: marked as such (translate="no").
        self.fields["file"].help_text = format_html(
            gettext("CSV (UTF-8) or XLSX with a header row: {columns}. Dates as YYYY-MM-DD."),
            columns=format_html('<code translate="no">{}</code>', ", ".join(COLUMNS)),
        )


class AssignmentForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=TeamSide.choices, initial=TeamSide.VENDOR)
    member = PickerField(label=_("Vendor's member"), kind="person", queryset=TeamMember.objects.none(), required=False)
    owner_name = forms.CharField(
        label=_("Owner's staff name"),
        max_length=200,
        required=False,
        help_text=_("Co-sourcing only: a person of the owner's own staff."),
    )
    role = forms.CharField(label=_("Role"), max_length=100)
    key_person = forms.BooleanField(label=_("Key person"), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)

    def __init__(self, *args: Any, engagement: Any, co_sourcing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offered: everyone not gone by today (a future leaving date included). Accepted: any of the vendor's
        # people, for whether the person is employed on the place's start date is the action's rule, the same
        # for the API (a past-dated place of someone who has left since is accepted by both).
        people = TeamMember.objects.filter(vendor_id=engagement.vendor_id)
        self.fields["member"].set_scope(  # type: ignore[attr-defined]
            (people if self.is_bound else people.not_left_by(timezone.localdate())).order_by("full_name", "pk"),
            vendor=engagement.vendor_id,
            current=1,
        )
        if not co_sourcing:
            del self.fields["side"]
            del self.fields["owner_name"]


class EndAssignmentForm(forms.Form):
    end_date = forms.DateField(label=_("Last day on the team"), widget=DATE)
    # Chosen, never defaulted: the reason is what the team's stability figures count (a resignation is turnover).
    leave_reason = forms.ChoiceField(label=_("Reason for leaving"), choices=[("", "—"), *LeaveReason.choices])


class WaiverForm(forms.Form):
    member = PickerField(label=_("Person"), kind="person", queryset=TeamMember.objects.none())
    justification = forms.CharField(
        label=_("Justification"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this person may work on the engagement although a condition is not met."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE, required=False)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)

    def __init__(self, *args: Any, engagement: Any, **kwargs: Any) -> None:
        # Its own ids: the team page also shows the assignment form, whose person field is `member` too (the
        # pickers' search boxes find their select by id).
        kwargs.setdefault("auto_id", "id_waiver_%s")
        super().__init__(*args, **kwargs)
        self.fields["member"].set_scope(  # type: ignore[attr-defined]
            TeamMember.objects.filter(assignments__engagement=engagement).distinct().order_by("full_name", "pk"),
            team=engagement.pk,
        )


class ReplacementForm(forms.Form):
    outgoing = PickerField(label=_("Outgoing person"), kind="place", queryset=TeamAssignment.objects.none())
    successor = PickerField(label=_("Successor"), kind="person", queryset=TeamMember.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(label=_("Successor's first day"), widget=DATE)

    def __init__(self, *args: Any, engagement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A large team's places are found by typing, like people (the search app's kind "place").
        self.fields["outgoing"].set_scope(  # type: ignore[attr-defined]
            TeamAssignment.objects.filter(engagement=engagement, side=TeamSide.VENDOR, end_date__isnull=True)
            .select_related("member")
            .order_by("member__full_name", "pk"),
            team=engagement.pk,
            current=1,
        )
        self.fields["successor"].set_scope(  # type: ignore[attr-defined]
            TeamMember.objects.filter(vendor_id=engagement.vendor_id)
            .not_left_by(timezone.localdate())
            .order_by("full_name", "pk"),
            vendor=engagement.vendor_id,
            current=1,
        )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
