"""Delivering notices (the inbox and e-mail) and what a user does with them.

`deliver` is registered with core.registry, so every app sends through `registry.notify(Notice(...))`
without importing this app. Each recipient's notification is claimed by inserting it under the unique
(recipient, occasion) constraint: a second pass for the same day, or a concurrent one, inserts nothing and
so sends nothing. E-mail goes after the commit, in the recipient's language.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outsourcing.accounts.models import User
from outsourcing.core.registry import Notice

from .choices import NotificationKind
from .models import EmailPreference, Notification

log = logging.getLogger(__name__)


def deliver(notice: Notice) -> int:
    """Put `notice` in each recipient's inbox once and e-mail those who want it; how many were new."""
    subject = notice.subject
    recipients = User.objects.filter(pk__in=set(notice.recipient_ids), is_active=True).only("pk")
    created = 0
    for recipient in recipients:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=notice.kind,
                    subject_type=subject._meta.model_name,
                    subject_id=subject.pk,
                    message_id=notice.message,
                    params=notice.params,
                    url=notice.url,
                    occasion=notice.occasion[:200],
                )
        except IntegrityError:
            continue  # this occasion already reached this person
        created += 1
        transaction.on_commit(functools.partial(_enqueue_email, notification.pk))
    return created


def _enqueue_email(notification_pk: int) -> None:
    from .tasks import email_notification

    email_notification.enqueue(notification_pk)


def wants_email(user: User, kind: str) -> bool:
    if not user.email:
        return False
    preference = EmailPreference.objects.filter(user=user, kind=kind).first()
    return preference is None or preference.by_email


def send_email(notification_pk: int) -> bool:
    """E-mail one notification to its recipient, in the recipient's language; False when not wanted or failed."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_pk).first()
    if notification is None or notification.emailed_at or not wants_email(notification.recipient, notification.kind):
        return False
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject = f"{_('Outsourcing Manager')}: {NotificationKind(notification.kind).label}"
        body = notification.message
        if notification.url:
            body += "\n\n" + settings.OUTSOURCING_BASE_URL.rstrip("/") + notification.url
        body += "\n\n" + _("You can choose which notifications arrive by e-mail on your inbox page.")
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception:  # a mail server that is down must not undo or stop the reminders
        log.exception("could not e-mail notification %s", notification_pk)
        return False
    Notification.objects.filter(pk=notification_pk).update(emailed_at=timezone.now())
    return True


def do_mark_read(notification: Notification, *, acting_user: Any) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def do_mark_all_read(*, acting_user: Any) -> int:
    return Notification.objects.visible_to(acting_user).unread().update(read_at=timezone.now())


@transaction.atomic
def do_set_email_preferences(*, acting_user: Any, by_email: set[str]) -> None:
    """Which kinds also arrive by e-mail (every other kind: the inbox only)."""
    for kind in NotificationKind.values:
        EmailPreference.objects.update_or_create(user=acting_user, kind=kind, defaults={"by_email": kind in by_email})


def email_preferences(user: User) -> dict[str, bool]:
    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "by_email"))
    return {kind: stored.get(kind, True) for kind in NotificationKind.values}
