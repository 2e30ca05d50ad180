"""Every change to users and API tokens goes through these functions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import Role, ensure_admin
from outsourcing.core.audit import acting_as

from .models import ApiToken, User


@transaction.atomic
def do_create_user(
    *,
    username: str,
    password: str,
    role: str,
    vendor_id: int | None = None,
    email: str = "",
    language: str = "",
    first_name: str = "",
    last_name: str = "",
    acting_user: Any,
    check_password: bool = True,
) -> User:
    """Create a user; `acting_user` None means the command line, which is trusted."""
    if acting_user is not None:
        ensure_admin(acting_user)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    user = User(
        username=username,
        role=role,
        vendor_id=vendor_id,
        email=email,
        language=language,
        first_name=first_name,
        last_name=last_name,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    with acting_as(acting_user):
        user.save()
    return user


USER_FIELDS = {"first_name", "last_name", "email", "language", "role", "vendor", "vendor_id", "is_active"}


@transaction.atomic
def do_update_user(user: User, *, changes: dict[str, Any], acting_user: Any) -> User:
    ensure_admin(acting_user)
    unknown = set(changes) - USER_FIELDS
    if unknown:
        raise ValidationError({field: _("This field cannot be set here.") for field in sorted(unknown)})
    if user.pk == getattr(acting_user, "pk", None) and (
        changes.get("is_active") is False or changes.get("role", user.role) != user.role
    ):
        raise ValidationError({"role": _("You cannot demote or deactivate yourself; ask another admin.")})
    deactivating = user.is_active and changes.get("is_active") is False
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean()
    with acting_as(acting_user):
        user.save()
        if deactivating:
            end_sessions_and_tokens(user)
    return user


def end_sessions_and_tokens(user: User) -> None:
    """Sign `user` out everywhere for good: its sessions are deleted and its API tokens revoked, so that
    reactivating the user later revives neither (it signs in afresh and asks for new tokens)."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    now = timezone.now()
    for token in user.api_tokens.filter(revoked_at__isnull=True):
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
    # Sessions are stored signed, not indexed by user: read the unexpired ones (a working day's worth).
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()


@transaction.atomic
def do_change_password(user: User, *, old_password: str, new_password: str, acting_user: Any) -> User:
    """A user changes its own password: the current one must be right, the new one pass Django's validators.
    The user's other sessions end (their session hash no longer matches); the caller keeps its own."""
    if getattr(acting_user, "pk", None) != user.pk:
        raise PermissionDenied(_("You can only change your own password."))
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your current password is not right.")})
    if new_password == old_password:
        raise ValidationError({"new_password": _("Choose a password different from the current one.")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    user.set_password(new_password)
    with acting_as(acting_user):
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def do_set_language(user: User, language: str) -> None:
    if language not in {"", "en", "zh-hans"}:
        raise ValidationError({"language": _("Unknown language.")})
    user.language = language
    with acting_as(user):
        user.save(update_fields=["language"])


@transaction.atomic
def do_issue_token(user: User, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; beyond API_TOKENS_PER_USER usable tokens, the oldest are revoked."""
    with acting_as(user):
        token, raw = ApiToken.issue(user, name=name[:100])
        surplus = (
            ApiToken.objects.usable().filter(user=user).order_by("-created_at", "-pk")[settings.API_TOKENS_PER_USER :]
        )
        now = timezone.now()
        for old in surplus:
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
    return token, raw


@transaction.atomic
def do_revoke_token(token: ApiToken, *, acting_user: Any) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        with acting_as(acting_user):
            token.save(update_fields=["revoked_at"])
