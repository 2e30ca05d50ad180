"""The scheduler: runs the day's pass at start and then daily at REMINDER_HOUR local time."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command

from outsourcing.notifications.management.commands.scheduler import next_run
from outsourcing.notifications.models import Notification

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime.datetime(2026, 6, 1, 5, 59, tzinfo=SHANGHAI), datetime.datetime(2026, 6, 1, 6, 0, tzinfo=SHANGHAI)),
        (datetime.datetime(2026, 6, 1, 6, 0, tzinfo=SHANGHAI), datetime.datetime(2026, 6, 2, 6, 0, tzinfo=SHANGHAI)),
        (datetime.datetime(2026, 6, 1, 23, 0, tzinfo=SHANGHAI), datetime.datetime(2026, 6, 2, 6, 0, tzinfo=SHANGHAI)),
    ],
)
def test_the_next_run_is_the_next_reminder_hour_in_the_owners_time_zone(now, expected):
    assert next_run(now, 6) == expected


@pytest.mark.django_db
def test_the_scheduler_runs_todays_pass_and_twice_sends_nothing_twice(certificate, vendor_a_user, monkeypatch):
    from .conftest import DAY

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: DAY)
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")
    assert Notification.objects.filter(recipient=vendor_a_user).count() == 1
