"""The dashboard's missing-reports count is one SQL statement over the whole portfolio; it must count exactly the
periods that `missing_reports` (the reports page's per-engagement figure) finds, at the edges of the calendar
(months of 28–31 days), the engagement's term, the grace days and the frequency."""

import datetime
import random

import pytest

from outsourcing.engagements.models import Engagement
from outsourcing.performance.models import ImplementationReport, ReportSchedule
from outsourcing.performance.services import count_missing_reports, missing_reports, periods

D = datetime.date
pytestmark = pytest.mark.django_db


def _schedule(vendor, n, start, end, first, frequency="monthly", due_days=10):
    engagement = Engagement.objects.create(
        title=f"E{n}", code=f"MR-{n}", form="service", vendor=vendor, start_date=start, end_date=end
    )
    return ReportSchedule.objects.create(
        engagement=engagement, frequency=frequency, first_period_start=first, due_days=due_days
    )


def _python(as_of):
    schedules = ReportSchedule.objects.select_related("engagement")
    return sum(missing_reports(schedules, as_of).values())


@pytest.mark.parametrize("as_of", [D(2026, 3, 10), D(2026, 3, 11), D(2026, 2, 28), D(2026, 3, 1), D(2027, 1, 1)])
def test_sql_count_equals_the_per_schedule_count(vendor_a, as_of):
    rng = random.Random(5)
    cases = [
        (D(2025, 1, 31), None, D(2025, 1, 31), "monthly", 10),  # month-end start: Feb 28, Mar 31 …
        (D(2024, 1, 29), None, D(2024, 1, 29), "monthly", 1),  # leap February
        (D(2025, 5, 30), D(2025, 11, 15), D(2025, 5, 30), "quarterly", 30),  # ends mid-term
        (D(2025, 8, 31), None, D(2025, 8, 31), "quarterly", 0),  # quarterly from a 31st, no grace
        (D(2026, 2, 1), None, D(2026, 2, 1), "monthly", 10),  # nothing due yet for early dates
        (D(2024, 12, 31), D(2026, 1, 31), D(2024, 12, 31), "monthly", 90),
    ]
    for n, (start, end, first, frequency, due) in enumerate(cases):
        schedule = _schedule(vendor_a, n, start, end, first, frequency, due)
        # Some periods reported, some not.
        for period in periods(frequency, first, due, as_of, end, start):
            if rng.random() < 0.5:
                ImplementationReport.objects.create(
                    engagement=schedule.engagement,
                    period_start=period.start,
                    period_end=period.end,
                    due_date=period.due,
                    status="accepted",
                    submitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
                )
    expected = _python(as_of)
    assert count_missing_reports(ReportSchedule.objects.all(), as_of) == expected
    assert expected > 0 or as_of < D(2025, 3, 1)


def test_a_schedule_stored_before_its_engagement_owes_nothing_before_it(vendor_a):
    # Stored without clean (as before the rule): the periods before the engagement are not owed.
    _schedule(vendor_a, 1, D(2026, 1, 1), None, D(2025, 1, 1))
    as_of = D(2026, 3, 20)
    assert count_missing_reports(ReportSchedule.objects.all(), as_of) == _python(as_of) == 2


def test_counts_only_the_schedules_given(vendor_a, vendor_b):
    _schedule(vendor_a, 1, D(2025, 1, 1), None, D(2025, 1, 1))
    _schedule(vendor_b, 2, D(2025, 6, 1), None, D(2025, 6, 1))
    as_of = D(2026, 1, 20)
    ours = ReportSchedule.objects.filter(engagement__vendor=vendor_b)
    assert count_missing_reports(ours, as_of) == 7  # June … December 2025
    assert count_missing_reports(ReportSchedule.objects.none(), as_of) == 0
