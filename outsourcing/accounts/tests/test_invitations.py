"""Vendor onboarding by invitation: single use, expiring, resend replaces the link, withdraw, audited, and the
new user belongs to the inviting vendor only."""

import datetime
import re
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from outsourcing.accounts.invitations import (
    do_accept_invitation,
    do_invite_vendor_contact,
    do_resend_invitation,
    do_revoke_invitation,
)
from outsourcing.accounts.models import Invitation, User

pytestmark = pytest.mark.django_db
PASSWORD = "Vendor-Contact-2026"


def token_in(message) -> str:
    return re.search(r"/accounts/invite/([^/\s]+)/", message.body).group(1)


@pytest.fixture
def invite(vendor_a, manager, django_capture_on_commit_callbacks):
    def make(email="chen.jing@vendor-a.example"):
        with django_capture_on_commit_callbacks(execute=True):
            return do_invite_vendor_contact(vendor_a, email=email, name="陈静", language="zh-hans", acting_user=manager)

    return make


def test_the_contact_gets_a_link_in_their_language_and_becomes_a_user_of_that_vendor_only(invite, vendor_a):
    invitation = invite()
    [message] = mail.outbox
    assert message.to == ["chen.jing@vendor-a.example"]
    assert message.subject == "外包管理系统邀请：华信软件 Vendor A"
    user = do_accept_invitation(token_in(message), username="chenjing", password=PASSWORD)
    assert (user.role, user.vendor, user.email, user.language) == (
        "vendor",
        vendor_a,
        "chen.jing@vendor-a.example",
        "zh-hans",
    )
    assert user.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert invitation.user == user and invitation.state == "accepted"


def test_the_link_works_once(invite):
    invite()
    token = token_in(mail.outbox[0])
    do_accept_invitation(token, username="chenjing", password=PASSWORD)
    with pytest.raises(PermissionDenied):
        do_accept_invitation(token, username="another", password=PASSWORD)
    assert User.objects.filter(role="vendor").count() == 1


def test_the_link_expires_after_seven_days(invite):
    invite()
    token = token_in(mail.outbox[0])
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=7, minutes=1)
    with mock.patch("time.time", return_value=later.timestamp()), pytest.raises(PermissionDenied):
        do_accept_invitation(token, username="chenjing", password=PASSWORD)


def test_a_resend_replaces_the_link_and_is_audited(invite, manager, django_capture_on_commit_callbacks):
    invitation = invite()
    old = token_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        do_resend_invitation(invitation, acting_user=manager)
    new = token_in(mail.outbox[1])
    with pytest.raises(PermissionDenied):
        do_accept_invitation(old, username="chenjing", password=PASSWORD)
    do_accept_invitation(new, username="chenjing", password=PASSWORD)
    updates = LogEntry.objects.get_for_object(invitation).filter(action=LogEntry.Action.UPDATE, actor=manager)
    assert updates.filter(changes_text__contains="sent_at").exists() or any(
        "sent_at" in e.changes_dict for e in updates
    )


def test_a_withdrawn_invitation_no_longer_works_and_the_withdrawal_is_audited(invite, manager):
    invitation = invite()
    do_revoke_invitation(invitation, acting_user=manager)
    with pytest.raises(PermissionDenied):
        do_accept_invitation(token_in(mail.outbox[0]), username="chenjing", password=PASSWORD)
    entry = LogEntry.objects.get_for_object(invitation).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.actor == manager and "revoked_at" in entry.changes_dict


def test_only_the_owners_writers_invite(vendor_a, auditor, vendor_a_user):
    for user in (auditor, vendor_a_user):
        with pytest.raises(PermissionDenied):
            do_invite_vendor_contact(vendor_a, email="x@example.com", acting_user=user)
    assert not Invitation.objects.exists()


def test_a_weak_password_or_a_taken_user_name_is_refused_and_the_link_stays_usable(invite, manager):
    invite()
    token = token_in(mail.outbox[0])
    with pytest.raises(ValidationError) as weak:
        do_accept_invitation(token, username="chenjing", password="short")
    assert "password" in weak.value.message_dict
    with pytest.raises(ValidationError) as taken:
        do_accept_invitation(token, username="manager", password=PASSWORD)
    assert "username" in taken.value.message_dict
    assert do_accept_invitation(token, username="chenjing", password=PASSWORD).username == "chenjing"


def test_the_pages_refuse_a_bad_link_and_other_vendors_users(web, vendor_a, vendor_a_user):
    assert web(None).get("/accounts/invite/not-a-token/").status_code == 410
    assert web(vendor_a_user).get(f"/accounts/vendors/{vendor_a.pk}/invitations").status_code == 403
