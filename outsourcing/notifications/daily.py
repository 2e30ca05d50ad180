"""The day's pass: what the scheduler runs each day and `outsourcing reminders --date D` runs on demand.

First the registered daily jobs (automatic renewals), then every registered reminder source; each reminder
is delivered through the inbox's claim-once rule, so running the pass again for the same day sends nothing
new, and an operator can catch up after downtime by running it for each missed day.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction

from outsourcing.core import registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassResult:
    day: datetime.date
    reminders: int  # occasions due on the day
    sent: int  # notifications newly created (the rest had been sent before)


def run_daily_pass(day: datetime.date) -> PassResult:
    for job in registry.daily_jobs:
        job(day)
    reminders = sent = 0
    for source in registry.reminder_sources:
        for notice in source(day):
            reminders += 1
            with transaction.atomic():
                sent += registry.notify(notice)
    log.info("reminders for %s: %s due, %s newly sent", day, reminders, sent)
    return PassResult(day, reminders, sent)
