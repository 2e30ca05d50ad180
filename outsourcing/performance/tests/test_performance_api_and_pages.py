"""Reports and appraisals through the API and pages, per persona."""

import datetime

import pytest

from outsourcing.performance import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(engagement_a, manager):
    actions.do_set_schedule(
        engagement_a,
        acting_user=manager,
        frequency="monthly",
        first_period_start=datetime.date(2026, 1, 1),
        due_days=10,
    )
    return engagement_a


def test_the_vendor_submits_through_the_api_and_sees_the_periods(api, scheduled, vendor_a_user):
    client = api(vendor_a_user)
    body = {"period_start": "2026-01-01", "project_management": "PM report", "appraisal_execution": "KPIs"}
    assert client.post(f"/engagements/{scheduled.pk}/implementation-reports", body).status_code == 201
    periods = client.get(f"/engagements/{scheduled.pk}/report-periods", as_of="2026-03-11").json()
    # Submitted today, long after January's due date (February 10th); February's report never came.
    assert [p["timeliness"] for p in periods] == ["late", "missing"]
    assert periods[0]["report_id"] is not None


def test_bad_reports_are_refused_naming_the_field(api, scheduled, vendor_a_user):
    client = api(vendor_a_user)
    response = client.post(
        f"/engagements/{scheduled.pk}/implementation-reports",
        {"period_start": "2026-01-15", "project_management": "x", "appraisal_execution": "y"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "period_start"
    response = client.post(
        f"/engagements/{scheduled.pk}/implementation-reports",
        {"period_start": "2026-01-01", "project_management": "", "appraisal_execution": "y"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "project_management"


def test_vendor_b_sees_nothing_of_a(api, web, scheduled, vendor_a, vendor_b_user):
    client = api(vendor_b_user)
    assert client.get(f"/engagements/{scheduled.pk}/report-periods").status_code == 404
    assert client.get(f"/vendors/{vendor_a.pk}/appraisals").status_code == 404
    assert client.get(f"/vendors/{vendor_a.pk}/standing").status_code == 404
    assert web(vendor_b_user).get(f"/reports/engagements/{scheduled.pk}/").status_code == 404
    assert web(vendor_b_user).get(f"/reports/vendors/{vendor_a.pk}/").status_code == 404


def test_only_owner_writers_set_schedules_and_appraise(api, scheduled, vendor_a, auditor, vendor_a_user):
    body = {"frequency": "quarterly", "first_period_start": "2026-01-01", "due_days": 15}
    assert api(auditor).put(f"/engagements/{scheduled.pk}/report-schedule", body).status_code == 403
    assert api(vendor_a_user).put(f"/engagements/{scheduled.pk}/report-schedule", body).status_code == 403
    appraisal = {"period_start": "2026-01-01", "period_end": "2026-03-31", "inspection": "80"}
    assert api(auditor).post(f"/vendors/{vendor_a.pk}/appraisals", appraisal).status_code == 403
    assert api(vendor_a_user).post(f"/vendors/{vendor_a.pk}/appraisals", appraisal).status_code == 403


def test_the_manager_appraises_and_reads_the_standing(api, web, manager, vendor_a):
    client = api(manager)
    today = datetime.date.today()
    appraisal = {"period_start": str(today.replace(day=1)), "period_end": str(today), "inspection": "55"}
    response = client.post(f"/vendors/{vendor_a.pk}/appraisals", appraisal)
    assert response.status_code == 201, response.content
    standing = client.get(f"/vendors/{vendor_a.pk}/standing").json()
    assert standing["appraisals"] == 1
    page = web(manager).get(f"/reports/vendors/{vendor_a.pk}/").content.decode()
    assert "<svg" in page
    assert "Appraisal total by period" in page


def test_an_appraisal_period_ending_before_it_starts_is_refused(api, manager, vendor_a):
    response = api(manager).post(
        f"/vendors/{vendor_a.pk}/appraisals",
        {"period_start": "2026-03-01", "period_end": "2026-02-01", "inspection": "50"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "period_end"


def test_the_reports_index_is_readable_by_every_persona(web, scheduled, manager, auditor, vendor_a_user):
    for user in (manager, auditor, vendor_a_user):
        assert web(user).get("/reports/").status_code == 200
