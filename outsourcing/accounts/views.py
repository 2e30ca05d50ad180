from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from outsourcing.core.access import is_admin
from outsourcing.core.errors import is_api, json_error
from outsourcing.core.forms import apply_form_errors, handle_form

from .actions import (
    do_change_password,
    do_create_user,
    do_issue_token,
    do_revoke_token,
    do_set_language,
    do_update_user,
)
from .forms import LanguageForm, PasswordChangeForm, UserCreateForm, UserEditForm
from .lockout import retry_after_seconds
from .models import ApiToken, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@receiver(user_logged_in)
def remember_language(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session") and user.language:
        request.session["user_language"] = user.language


def lockout(request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    """Answer for a username and address locked out after too many failed logins."""
    retry_after = {"Retry-After": str(retry_after_seconds(request))}
    if is_api(request):
        return json_error(429, _("Too many failed logins; try again later."), headers=retry_after)
    response = render(request, "accounts/locked.html", status=429)
    response["Retry-After"] = retry_after["Retry-After"]
    return response


@login_required
def users(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise Http404
    return render(
        request,
        "accounts/users.html",
        {"title": _("Users"), "users": User.objects.select_related("vendor").order_by("username")},
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise Http404
    form = UserCreateForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda data: do_create_user(acting_user=request.user, **form.action_kwargs()),
        template="accounts/user_form.html",
        context={"title": _("New user")},
        success=lambda user: _("User %(name)s created.") % {"name": user.username},
        redirect_to="accounts:users",
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = LanguageForm(request.POST or None, record=user)
    new_token = None
    if request.method == "POST" and request.POST.get("action") == "language" and form.is_valid():
        do_set_language(user, form.cleaned_data["language"])
        request.session["user_language"] = user.language
        if not user.language:
            request.session.pop("user_language", None)
        messages.success(request, _("Language saved."))
        return redirect("accounts:profile")
    if request.method == "POST" and request.POST.get("action") == "token":
        _token, new_token = do_issue_token(user, name=request.POST.get("name", "")[:100])
    tokens = user.api_tokens.all()
    return render(
        request,
        "accounts/profile.html",
        {"title": _("Your profile"), "form": form, "tokens": tokens, "new_token": new_token},
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_password(
                user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                acting_user=user,
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            update_session_auth_hash(request, user)  # this browser stays signed in; every other session ends
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"title": _("Change your password"), "form": form})


@login_required
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("accounts:profile")
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    do_revoke_token(token, acting_user=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_admin(request.user):
        raise Http404
    user = get_object_or_404(User, pk=pk)
    form = UserEditForm(request.POST or None, initial=model_to_dict(user, fields=list(UserEditForm.base_fields)))
    return handle_form(
        request,
        form,
        lambda data: do_update_user(user, acting_user=request.user, changes=form.changes()),
        template="accounts/user_form.html",
        context={"title": _("Edit %(name)s") % {"name": user.username}, "editing": True},
        success=_("User %(name)s saved.") % {"name": user.username},
        redirect_to="accounts:users",
    )
