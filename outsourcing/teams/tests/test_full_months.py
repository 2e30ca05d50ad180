"""Tenure counts complete calendar months, with the labour-law convention at month ends and leap days."""

import datetime

import pytest

from outsourcing.teams.eligibility import full_months

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2024, 1, 15), D(2024, 2, 14), 0),
        (D(2024, 1, 15), D(2024, 2, 15), 1),
        (D(2023, 1, 31), D(2023, 2, 28), 1),
        (D(2023, 1, 31), D(2023, 2, 27), 0),
        (D(2024, 1, 31), D(2024, 2, 29), 1),
        (D(2024, 1, 31), D(2024, 2, 28), 0),
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2024, 2, 29), D(2025, 2, 27), 11),
        (D(2023, 3, 10), D(2024, 3, 10), 12),
        (D(2023, 3, 10), D(2024, 3, 9), 11),
        (D(2024, 5, 5), D(2024, 5, 5), 0),
    ],
)
def test_it_counts_complete_months(start, end, months):
    assert full_months(start, end) == months


def relativedelta_months(start: datetime.date, end: datetime.date) -> int:
    """The labour-law count as dateutil gives it: what `full_months` computed before it used plain arithmetic."""
    from dateutil.relativedelta import relativedelta

    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def test_it_equals_relativedelta_day_by_day_across_a_leap_year():
    """Every start from December 2023 to March 2024 (the leap day, month ends of 28–31 days) against every end
    from the start to the end of March 2025."""
    for start in days(D(2023, 12, 1), D(2024, 3, 31)):
        for end in days(start, D(2025, 3, 31)):
            assert full_months(start, end) == relativedelta_months(start, end), (start, end)


def test_it_equals_relativedelta_between_month_ends_over_years():
    """Starts and ends on each month's last four days from 2019 to 2029 (leap years 2020, 2024, 2028), and ends
    before the start (a hire date after the day asked)."""
    edges = [d for d in days(D(2019, 1, 1), D(2029, 12, 31)) if (d + datetime.timedelta(days=4)).month != d.month]
    for start in edges[::3]:
        for end in edges:
            assert full_months(start, end) == relativedelta_months(start, end), (start, end)
