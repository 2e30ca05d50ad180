"""`outsourcing reminders [--date D]`: the daily pass for day D (today by default)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from outsourcing.notifications.daily import run_daily_pass


class Command(BaseCommand):
    help = "Run the daily pass for a day: automatic renewals, then reminders. Running it again sends nothing new."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day, YYYY-MM-DD (default: today in the owner's time zone).")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("date")
        try:
            day = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be a date such as 2026-12-31, not {raw!r}") from exc
        result = run_daily_pass(day)
        self.stdout.write(f"{result.day}: {result.reminders} reminder(s) due, {result.sent} notification(s) sent")
