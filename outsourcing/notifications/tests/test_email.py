"""E-mail: a reminder reaches a real SMTP server on 127.0.0.1 (started by the test), in the recipient's
language; EMAIL_URL configures Django's mail settings; per-kind preferences keep a kind out of the mail."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from outsourcing.notifications.actions import do_set_email_preferences
from outsourcing.notifications.daily import run_daily_pass
from outsourcing.notifications.models import Notification
from outsourcing.settings import email_settings

from .conftest import DAY

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.DEFAULT_FROM_EMAIL = "reminders@owner.example"
        yield inbox
    finally:
        controller.stop()


def test_a_reminder_reaches_a_real_smtp_server_in_chinese_for_a_chinese_speaking_user(
    certificate, vendor_a_user, smtp_server, django_capture_on_commit_callbacks
):
    vendor_a_user.email = "alice@vendor-a.example"
    vendor_a_user.language = "zh-hans"
    vendor_a_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily_pass(DAY)
    [message] = smtp_server.messages
    assert message["To"] == "alice@vendor-a.example"
    assert message["From"] == "reminders@owner.example"
    assert message["Subject"] == "外包管理系统: 证书即将到期"
    body = message.get_content()
    assert "您的证书 ISO/IEC 27001" in body  # the vendor's own certificate, addressed to the vendor
    assert "ISMS-0042 将于 2026-06-08 到期：请上传续期后的证书。" in body
    assert Notification.objects.get().emailed_at is not None


def test_an_english_speaking_user_gets_it_in_english(certificate, vendor_a_user, django_capture_on_commit_callbacks):
    vendor_a_user.email = "alice@vendor-a.example"
    vendor_a_user.language = "en"
    vendor_a_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily_pass(DAY)
    [message] = mail.outbox
    assert message.subject == "Outsourcing Manager: Certificate expiring"
    assert "Your certificate ISO/IEC 27001" in message.body
    assert "expires on 2026-06-08: upload the renewed certificate." in message.body


def test_a_kind_left_out_of_the_preferences_reaches_only_the_inbox(
    certificate, vendor_a_user, django_capture_on_commit_callbacks
):
    vendor_a_user.email = "alice@vendor-a.example"
    vendor_a_user.save()
    do_set_email_preferences(acting_user=vendor_a_user, by_email={"report_due"})
    with django_capture_on_commit_callbacks(execute=True):
        run_daily_pass(DAY)
    assert Notification.objects.filter(recipient=vendor_a_user).count() == 1
    assert mail.outbox == []


def test_no_address_no_mail(certificate, vendor_a_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_daily_pass(DAY)
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_email_url_gives_djangos_mail_settings():
    assert email_settings("smtp://mailer:s%40cret@mail.example:587?tls=1") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s@cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }
    assert email_settings(None) == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    for bad in ("http://mail.example", "smtp://mail.example?tls=maybe", "smtp://:25"):
        with pytest.raises(ImproperlyConfigured):
            email_settings(bad)
