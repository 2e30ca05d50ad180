"""The demo's inbox: today's pass (the agreement decision reminder, expiring certificates) on top of the
notices the other apps' demo actions already sent (SLA breaches, a key-person replacement)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .daily import run_daily_pass
from .models import Notification


def build(ctx: dict[str, Any]) -> None:
    run_daily_pass(timezone.localdate())
    ctx["stdout"].write(f"  {Notification.objects.unread().count()} unread notifications in the demo inboxes")
