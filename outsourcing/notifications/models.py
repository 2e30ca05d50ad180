from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        """A user sees only the notifications addressed to them (anyone else's answer 404)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person in their inbox: a reminder of a deadline or a notice of something that
    happened. `occasion` names the event; each person gets each occasion once, however often it is sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.BigIntegerField(_("subject id"))
    message_id = models.CharField(max_length=500)  # the English msgid, translated when shown
    params = models.JSONField(default=dict)
    url = models.CharField(_("link"), max_length=500, blank=True)
    occasion = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "occasion"], name="notifications_once_per_occasion")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The message in the active language (the reader's, or the e-mail recipient's)."""
        try:
            return gettext(self.message_id) % self.params
        except (KeyError, TypeError, ValueError):
            return self.message_id


class EmailPreference(models.Model):
    """Whether one user wants one kind of notification by e-mail too (no row: yes, when they have an address)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    by_email = models.BooleanField(_("also by e-mail"), default=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
