from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import Role
from outsourcing.core.forms import ActionForm
from outsourcing.vendors.models import Vendor

from .models import User

# A new account's role is chosen, never defaulted: the first entry of the list (Owner admin, the most powerful)
# would otherwise be what an admin who skims the form hands out. The list runs from the least privileged up.
ROLE_CHOICES_LEAST_FIRST = [
    ("", _("— choose a role —")),
    *[(role.value, role.label) for role in (Role.AUDITOR, Role.VENDOR, Role.MANAGER, Role.ADMIN)],
]


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES_LEAST_FIRST)
    vendor = forms.ModelChoiceField(
        label=_("Vendor"),
        queryset=Vendor.objects.all(),
        required=False,
        help_text=_("Only for vendor users: the company whose data they keep and see."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        max_length=1000,
        help_text=_("At least 10 characters, not a common password."),
    )

    def action_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        vendor = data.pop("vendor")
        data["vendor_id"] = vendor.pk if vendor else None
        return data


class LanguageForm(ActionForm):
    model = User
    model_fields = ("language",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].label = _("Language")


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES_LEAST_FIRST[1:])
    vendor = forms.ModelChoiceField(
        label=_("Vendor"),
        queryset=Vendor.objects.all(),
        required=False,
        help_text=_("Only for vendor users: the company whose data they keep and see."),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("An inactive user cannot sign in; its API tokens stop working.")
    )

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["vendor"] = data.pop("vendor")
        return data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=1000,
        help_text=_("At least 10 characters, not a common password, not like your name."),
    )
    new_password_again = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data
