"""Implementation-report periods and their timeliness, at the edges of due dates."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outsourcing.performance import actions
from outsourcing.performance.services import Period, periods, report_statuses, timeliness_of

D = datetime.date


def test_monthly_periods_run_to_the_day_before_the_next_start():
    result = periods("monthly", D(2026, 1, 1), 10, until=D(2026, 4, 1))
    assert [(p.start, p.end, p.due) for p in result] == [
        (D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 10)),
        (D(2026, 2, 1), D(2026, 2, 28), D(2026, 3, 10)),
        (D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 10)),
    ]


def test_a_period_counts_only_once_it_has_ended():
    assert len(periods("monthly", D(2026, 1, 1), 10, until=D(2026, 1, 31))) == 0
    assert len(periods("monthly", D(2026, 1, 1), 10, until=D(2026, 2, 1))) == 1


def test_quarterly_periods_and_the_engagement_end():
    result = periods("quarterly", D(2026, 1, 1), 15, until=D(2027, 6, 1), engagement_end=D(2026, 8, 31))
    assert [p.start for p in result] == [D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1)]
    assert result[0].end == D(2026, 3, 31)
    assert result[0].due == D(2026, 4, 15)


def test_month_end_starts_follow_calendar_months():
    result = periods("monthly", D(2024, 1, 31), 0, until=D(2024, 4, 1))
    assert [(p.start, p.end) for p in result] == [(D(2024, 1, 31), D(2024, 2, 28)), (D(2024, 2, 29), D(2024, 3, 30))]


PERIOD = Period(D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 10))


@pytest.mark.parametrize(
    ("submitted", "as_of", "expected"),
    [
        (D(2026, 2, 10), D(2026, 3, 1), "on_time"),  # on the due date
        (D(2026, 2, 11), D(2026, 3, 1), "late"),  # a day after
        (D(2026, 1, 20), D(2026, 3, 1), "on_time"),  # early
        (None, D(2026, 2, 10), "not_due"),  # unsubmitted on the due date: not yet missing
        (None, D(2026, 2, 11), "missing"),  # the day after
    ],
)
def test_timeliness_at_the_edges(submitted, as_of, expected):
    assert timeliness_of(PERIOD, submitted, as_of) == expected


@pytest.mark.django_db
def test_a_vendor_submits_and_the_owner_returns_then_accepts(engagement_a, manager, vendor_a_user):
    actions.do_set_schedule(
        engagement_a, acting_user=manager, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    content = {"project_management": "Weekly steering; PM controls staffing.", "appraisal_execution": "Monthly KPIs."}
    with mock.patch("django.utils.timezone.now", return_value=datetime.datetime(2026, 2, 12, 3, tzinfo=datetime.UTC)):
        report = actions.do_submit_report(
            engagement_a, acting_user=vendor_a_user, period_start=D(2026, 1, 1), **content
        )
    assert not report.on_time
    with pytest.raises(ValidationError) as caught:
        actions.do_review_report(report, acting_user=manager, accept=False)
    assert "comments" in caught.value.message_dict
    actions.do_review_report(report, acting_user=manager, accept=False, comments="Add the resource figures.")
    report = actions.do_submit_report(
        engagement_a,
        acting_user=vendor_a_user,
        period_start=D(2026, 1, 1),
        resources="8 FTE planned, 8 used",
        **content,
    )
    assert report.status == "submitted"
    actions.do_review_report(report, acting_user=manager, accept=True)
    statuses = report_statuses(engagement_a.report_schedule, D(2026, 3, 11))
    assert [s.timeliness for s in statuses] == ["late", "missing"]


@pytest.mark.django_db
def test_a_report_for_a_period_that_has_not_ended_is_refused(engagement_a, manager, vendor_a_user):
    actions.do_set_schedule(
        engagement_a, acting_user=manager, frequency="monthly", first_period_start=D(2099, 1, 1), due_days=10
    )
    with pytest.raises(ValidationError) as caught:
        actions.do_submit_report(
            engagement_a,
            acting_user=vendor_a_user,
            period_start=D(2099, 1, 1),
            project_management="x",
            appraisal_execution="y",
        )
    assert "period_start" in caught.value.message_dict


@pytest.mark.django_db
def test_vendor_b_cannot_report_for_a_and_the_auditor_cannot_review(engagement_a, manager, vendor_b_user, auditor):
    actions.do_set_schedule(
        engagement_a, acting_user=manager, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    with pytest.raises(PermissionDenied):
        actions.do_submit_report(
            engagement_a,
            acting_user=vendor_b_user,
            period_start=D(2026, 1, 1),
            project_management="x",
            appraisal_execution="y",
        )
    report = actions.do_submit_report(
        engagement_a, acting_user=manager, period_start=D(2026, 1, 1), project_management="x", appraisal_execution="y"
    )
    with pytest.raises(PermissionDenied):
        actions.do_review_report(report, acting_user=auditor, accept=True)
