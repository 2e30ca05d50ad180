"""How long a user name stays locked after too many failed logins: longer each time it happens again.

django-axes counts failures per user name (settings.AXES_LOCKOUT_PARAMETERS) and asks `cool_off` how long a
lockout lasts. The first lockout lasts LOGIN_COOLOFF_MINUTES; each further lockout of the same name within a
day doubles it, up to a day. Lockouts are read from axes' failure log, which outlives the expired attempts.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.conf import settings
from django.utils import timezone

MAX_COOL_OFF = datetime.timedelta(days=1)
BACKOFF_WINDOW = datetime.timedelta(days=1)


def attempted_username(request: Any) -> str | None:
    """The user name a login request tries: the API's (set by core.api) or the sign-in form's."""
    if request is None:
        return None
    name = getattr(request, "login_username", None)
    if name is None:
        try:
            name = request.POST.get("username")
        except Exception:  # an unreadable body is no user name
            return None
    return name or None


def lockouts_of(username: str, *, since: datetime.datetime) -> int:
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.filter(username=username, locked_out=True, attempt_time__gte=since).count()


def cool_off(request: Any = None) -> datetime.timedelta:
    base = datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    username = attempted_username(request)
    if username is None:
        return base
    earlier = lockouts_of(username, since=timezone.now() - BACKOFF_WINDOW)
    return min(base * 2 ** max(earlier - 1, 0), MAX_COOL_OFF)


def retry_after_seconds(request: Any) -> int:
    """Seconds until the lockout of the name `request` tries ends (its last failure plus the cool-off), at least 1:
    the `Retry-After` of the 429 answer."""
    from axes.models import AccessAttempt

    username = attempted_username(request)
    length = cool_off(request)
    last = (
        AccessAttempt.objects.filter(username=username).order_by("-attempt_time").values_list("attempt_time", flat=True)
        if username
        else []
    )
    started = next(iter(last), None) or timezone.now()
    return max(1, math.ceil((started + length - timezone.now()).total_seconds()))
