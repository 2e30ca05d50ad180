"""Background work of the notifications: e-mail leaves on the task worker (the database worker started by
`serve`, or RQ on Redis), so a slow mail server never holds up a page or the daily pass."""

from __future__ import annotations

from django_tasks import task

from .actions import send_email


@task()
def email_notification(notification_id: int) -> bool:
    return send_email(notification_id)
