"""Implementation report periods start no earlier than the engagement, and a report is missing only after its
period's end plus the grace days (SPEC "Implementation report periods")."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from outsourcing.core.access import SYSTEM
from outsourcing.performance import actions
from outsourcing.performance.models import ReportSchedule
from outsourcing.performance.services import missing_reports, periods, report_statuses, timeliness_score

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_schedule_cannot_start_before_its_engagement(engagement_a, manager):
    # The issue replayed: a schedule started before its engagement and its periods were instantly missing.
    with pytest.raises(ValidationError) as info:
        actions.do_set_schedule(
            engagement_a, acting_user=manager, frequency="monthly", first_period_start=D(2025, 12, 31), due_days=10
        )
    assert list(info.value.message_dict) == ["first_period_start"]
    assert "2026-01-01" in info.value.message_dict["first_period_start"][0]
    assert not ReportSchedule.objects.exists()


def test_a_schedule_may_start_on_the_engagements_first_day(engagement_a, manager):
    schedule = actions.do_set_schedule(
        engagement_a, acting_user=manager, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    assert schedule.pk


def test_the_api_names_the_field(api, manager, engagement_a):
    body = {"frequency": "monthly", "first_period_start": "2025-06-01", "due_days": 10}
    response = api(manager).put(f"/engagements/{engagement_a.pk}/report-schedule", body)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["first_period_start"]


def test_the_form_shows_the_error_by_the_field(client, manager, engagement_a):
    client.force_login(manager)
    response = client.post(
        f"/reports/engagements/{engagement_a.pk}/",
        {"action": "schedule", "frequency": "monthly", "first_period_start": "2025-06-01", "due_days": 10},
    )
    assert response.status_code == 200
    assert "first_period_start" in response.context["schedule_form"].errors


def test_periods_before_the_engagement_are_not_owed():
    result = periods("monthly", D(2025, 1, 1), 10, until=D(2026, 3, 1), engagement_start=D(2026, 1, 1))
    assert [p.start for p in result] == [D(2026, 1, 1), D(2026, 2, 1)]


def test_a_schedule_stored_before_the_rule_does_not_hurt_a_good_vendors_standing(engagement_a, manager, vendor_a):
    # A schedule saved before the rule existed (no clean): two years before the engagement began.
    schedule = ReportSchedule.objects.create(
        engagement=engagement_a, frequency="monthly", first_period_start=D(2024, 1, 1), due_days=10
    )
    for month in (1, 2):
        actions.do_submit_report(
            engagement_a,
            acting_user=manager,
            period_start=D(2026, month, 1),
            received_at=datetime.datetime(2026, month + 1, 5, 2, tzinfo=datetime.UTC),
            project_management="x",
            appraisal_execution="y",
        )
    as_of = D(2026, 3, 20)
    assert missing_reports([schedule], as_of) == {}
    assert [s.timeliness for s in report_statuses(schedule, as_of)] == ["on_time", "on_time"]
    share, _detail = timeliness_score(vendor_a.pk, D(2024, 1, 1), D(2026, 3, 20))
    assert share == Decimal("100.00")


@pytest.mark.parametrize(("as_of", "missing"), [(D(2026, 2, 10), 0), (D(2026, 2, 11), 1)])
def test_a_report_is_missing_only_after_its_grace_days(engagement_a, manager, as_of, missing):
    schedule = actions.do_set_schedule(
        engagement_a, acting_user=SYSTEM, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    assert missing_reports([schedule], as_of).get(engagement_a.pk, 0) == missing
