"""Reporting periods are worked out without relativedelta (thousands of schedules on the reports page and
the dashboard), with exactly the same dates, month ends and leap years included."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

from outsourcing.performance.services import add_months, periods


def test_add_months_is_relativedelta_months() -> None:
    day = datetime.date(2023, 1, 1)
    while day < datetime.date(2025, 1, 1):
        for months in (0, 1, 2, 3, 11, 12, 13, 25):
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += datetime.timedelta(days=1)


def test_month_ends_are_kept_to_the_shorter_month() -> None:
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 1, 31), 1) == datetime.date(2023, 2, 28)
    assert add_months(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)


def _reference(frequency: str, first: datetime.date, due_days: int, until: datetime.date, end: datetime.date | None):
    step = {"monthly": 1, "quarterly": 3}[frequency]
    result, k = [], 0
    while True:
        start = first + relativedelta(months=step * k)
        stop = first + relativedelta(months=step * (k + 1)) - datetime.timedelta(days=1)
        if stop >= until or (end and start > end):
            return result
        result.append((start, stop, stop + datetime.timedelta(days=due_days)))
        k += 1


def test_periods_match_the_relativedelta_rule() -> None:
    for frequency in ("monthly", "quarterly"):
        for first in (datetime.date(2023, 1, 1), datetime.date(2023, 1, 31), datetime.date(2024, 2, 29)):
            for end in (None, datetime.date(2024, 6, 15)):
                got = [(p.start, p.end, p.due) for p in periods(frequency, first, 10, datetime.date(2026, 3, 1), end)]
                assert got == _reference(frequency, first, 10, datetime.date(2026, 3, 1), end)
                assert got  # the cases do have periods
