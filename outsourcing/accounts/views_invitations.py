"""Pages of vendor onboarding by invitation: the manager's invite/resend/revoke, the contact's acceptance."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from outsourcing.core.access import is_owner_writer
from outsourcing.core.api import get_visible
from outsourcing.core.forms import apply_form_errors
from outsourcing.vendors.models import Vendor

from .invitations import (
    do_accept_invitation,
    do_invite_vendor_contact,
    do_resend_invitation,
    do_revoke_invitation,
    invitation_for_token,
)
from .models import Invitation


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mail"),
        choices=[("en", "English"), ("zh-hans", "简体中文")],
        initial="zh-hans",
    )


class AcceptForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, max_length=1000)
    password_again = forms.CharField(label=gettext_lazy("Password again"), widget=forms.PasswordInput, max_length=1000)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


def _owner_vendor(request: HttpRequest, pk: int) -> Vendor:
    vendor = get_visible(Vendor.objects, request.user, pk=pk)
    if not is_owner_writer(request.user):
        raise PermissionDenied
    return vendor


@login_required
def vendor_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = _owner_vendor(request, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = do_invite_vendor_contact(vendor, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:vendor-invitations", pk=vendor.pk)
    context = {
        "title": _("Invite a contact of %(vendor)s") % {"vendor": vendor.name},
        "vendor": vendor,
        "form": form,
        "invitations": Invitation.objects.filter(vendor=vendor).select_related("invited_by", "user"),
    }
    return render(request, "accounts/invitations.html", context)


@login_required
@require_POST
def invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    _owner_vendor(request, invitation.vendor_id)
    try:
        if action == "resend":
            do_resend_invitation(invitation, acting_user=request.user)
            messages.success(request, _("Invitation sent again; the earlier link no longer works."))
        elif action == "revoke":
            do_revoke_invitation(invitation, acting_user=request.user)
            messages.success(request, _("Invitation withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:vendor-invitations", pk=invitation.vendor_id)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token)
    except PermissionDenied as exc:
        return render(request, "accounts/invitation_accept.html", {"problem": str(exc)}, status=410)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_accept_invitation(
                token, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except PermissionDenied as exc:
            return render(request, "accounts/invitation_accept.html", {"problem": str(exc)}, status=410)
        else:
            messages.success(request, _("Welcome, %(name)s: sign in with your new password.") % {"name": user.username})
            return redirect("accounts:login")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})
