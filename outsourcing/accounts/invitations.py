"""Vendor onboarding by invitation: invite, resend, revoke (all audited) and accept.

The link carries a token signed with Django's signing machinery (`TimestampSigner`: the secret key, a salt
of its own, and the time it was made), naming the invitation and its current nonce. It is single use (an
accepted, revoked or resent invitation no longer matches) and expires after INVITATION_DAYS.
"""

from __future__ import annotations

import datetime
import functools
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outsourcing.core.access import Role, ensure_owner_writer
from outsourcing.core.audit import acting_as

from .actions import do_create_user
from .models import Invitation, User

INVITATION_DAYS = 7
SALT = "outsourcing.accounts.invitation"


def token_for(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{invitation.pk}:{invitation.nonce}")


def link_for(invitation: Invitation) -> str:
    return settings.OUTSOURCING_BASE_URL.rstrip("/") + reverse(
        "accounts:invitation-accept", kwargs={"token": token_for(invitation)}
    )


def invitation_for_token(token: str) -> Invitation:
    """The open invitation the token names; PermissionDenied with the reason otherwise."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=datetime.timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise PermissionDenied(_("This invitation link has expired: ask for a new one.")) from None
    except signing.BadSignature:
        raise PermissionDenied(_("This invitation link is not valid.")) from None
    pk, _sep, nonce = value.partition(":")
    invitation = Invitation.objects.select_related("vendor").filter(pk=int(pk)).first()
    if invitation is None or not secrets.compare_digest(invitation.nonce, nonce):
        raise PermissionDenied(_("This invitation link has been replaced by a newer one or withdrawn."))
    if invitation.state != "open":
        raise PermissionDenied(_("This invitation has already been used or withdrawn."))
    return invitation


def _send(invitation: Invitation) -> None:
    link = link_for(invitation)
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        subject = _("Invitation to Outsourcing Manager for %(vendor)s") % {"vendor": invitation.vendor.name}
        body = _(
            "You are invited to keep %(vendor)s's records in Outsourcing Manager: its profile, certificates, team "
            "and reports.\n\nChoose your user name and password here (the link works once, until %(expires)s):\n"
            "%(link)s"
        ) % {
            "vendor": invitation.vendor.name,
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
            "link": link,
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def _fresh(invitation: Invitation) -> None:
    invitation.nonce = secrets.token_hex(16)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + datetime.timedelta(days=INVITATION_DAYS)


@transaction.atomic
def do_invite_vendor_contact(
    vendor: Any, *, email: str, acting_user: Any, name: str = "", language: str = ""
) -> Invitation:
    """A manager invites a vendor's contact by e-mail: the mail leaves after the commit."""
    ensure_owner_writer(acting_user)
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    if Invitation.objects.filter(
        vendor=vendor, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise ValidationError({"email": _("This address already has an open invitation: resend it instead.")})
    invitation = Invitation(
        vendor=vendor,
        email=email,
        name=(name or "").strip(),
        language=language,
        invited_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    _fresh(invitation)
    invitation.full_clean()
    with acting_as(acting_user):
        invitation.save()
    transaction.on_commit(functools.partial(_send, invitation))
    return invitation


@transaction.atomic
def do_resend_invitation(invitation: Invitation, *, acting_user: Any) -> Invitation:
    """A new link (the old one stops working) with a new expiry, audited."""
    ensure_owner_writer(acting_user)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError({"invitation": _("Only an open or expired invitation can be resent.")})
    _fresh(invitation)
    with acting_as(acting_user):
        invitation.save()
    transaction.on_commit(functools.partial(_send, invitation))
    return invitation


@transaction.atomic
def do_revoke_invitation(invitation: Invitation, *, acting_user: Any) -> Invitation:
    ensure_owner_writer(acting_user)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError({"invitation": _("This invitation was accepted: deactivate the user instead.")})
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        with acting_as(acting_user):
            invitation.save()
    return invitation


@transaction.atomic
def do_accept_invitation(token: str, *, username: str, password: str) -> User:
    """The contact chooses a user name and password and becomes a user of the inviting vendor only."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "open":  # accepted by a concurrent request a moment ago
        raise PermissionDenied(_("This invitation has already been used or withdrawn."))
    first, _space, last = invitation.name.partition(" ")
    user = do_create_user(
        username=username,
        password=password,
        role=Role.VENDOR,
        vendor_id=invitation.vendor_id,
        email=invitation.email,
        language=invitation.language,
        first_name=first[:150],
        last_name=last[:150],
        acting_user=None,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    with acting_as(user):
        invitation.save()
    return user
