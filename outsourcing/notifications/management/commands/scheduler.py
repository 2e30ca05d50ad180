"""`outsourcing scheduler`: runs the daily pass once a day (started by `serve`).

At start it runs today's pass (a pass already run today sends nothing again), then sleeps until the next
day's REMINDER_HOUR in the owner's time zone. The exactly-once guarantee lives in the pass, not here, so two
schedulers (or a restart) are harmless.
"""

from __future__ import annotations

import datetime
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from outsourcing.notifications.daily import run_daily_pass


def next_run(now: datetime.datetime, hour: int) -> datetime.datetime:
    """The next moment at `hour` o'clock local time strictly after `now`."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate = (local + datetime.timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return candidate


class Command(BaseCommand):
    help = "Run the daily pass (renewals and reminders) every day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run today's pass and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["once"]:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            try:
                result = run_daily_pass(timezone.localdate())
                self.stdout.write(f"scheduler: {result.day}: {result.sent} notification(s) sent")
            except Exception as exc:  # a failed pass is retried at the next run, the scheduler keeps going
                self.stderr.write(f"scheduler: the daily pass failed: {exc!r}")
            if options["once"]:
                return
            wait = (next_run(timezone.now(), settings.REMINDER_HOUR) - timezone.now()).total_seconds()
            stop.wait(max(wait, 1.0))
            close_old_connections()  # a day later the database may have dropped the idle connection
