"""SLA measurements as SPEC says: a period is recorded once it is over, a percentage lies in [0, 100], a period
that has a value is refused (409 naming `period`) and changed only by a correction with a reason; a month
without a measurement is no data — a gap in the table, the chart and the engagement's count, never "met"."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from freezegun import freeze_time

import outsourcing.urls  # noqa: F401  # the API's schemas are built before any clock is frozen
from outsourcing.core.access import SYSTEM
from outsourcing.engagements import actions
from outsourcing.engagements.actions import do_correct_measurement, do_record_measurement, do_save_metric
from outsourcing.engagements.models import Measurement
from outsourcing.engagements.reports import attainment_charts, measurement_gaps, sla_report

from .conftest import csv_file

pytestmark = pytest.mark.django_db


def post(client, service, **fields):
    return client.post(f"/engagements/{service.pk}/measurements", fields)


@pytest.fixture
def tickets(service, agreement):
    return do_save_metric(
        None,
        engagement=service,
        acting_user=SYSTEM,
        changes={"name": "Tickets closed", "unit": "tickets", "target": Decimal(100)},
    )


# The period must be over on the day it is entered ---------------------------------------------------


@pytest.mark.parametrize(
    ("today", "accepted"),
    [
        ("2026-03-15", False),  # the issue replayed: a month that has not ended was accepted and shown as met
        ("2026-03-31", False),  # its last day: not over yet
        ("2026-04-01", True),  # the day after: over
    ],
)
def test_a_period_is_recorded_only_once_it_is_over(api, manager, service, availability, today, accepted):
    with freeze_time(f"{today} 04:00:00"):  # 12:00 in Shanghai
        response = post(api(manager), service, metric_id=availability.pk, period="2026-03-01", value="99.95")
    if accepted:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 422
        assert [d["field"] for d in response.json()["detail"]] == ["period"]
        assert "not over yet" in response.json()["detail"][0]["msg"]
        assert not Measurement.objects.exists()


def test_over_means_over_in_the_owners_time_zone(api, manager, service, availability):
    # 2026-03-31 20:00 UTC is already 1 April in Shanghai: March is over for the owner.
    with freeze_time("2026-03-31 20:00:00"):
        response = post(api(manager), service, metric_id=availability.pk, period="2026-03-01", value="99.95")
    assert response.status_code == 201, response.content


# Values in range ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [("150", 422), ("100.0001", 422), ("100", 201), ("0", 201), ("-0.0001", 422)],
)
def test_a_percentage_lies_between_0_and_100(api, manager, service, availability, value, status):
    # The issue replayed: 150 % availability was accepted.
    response = post(api(manager), service, metric_id=availability.pk, period="2026-02-01", value=value)
    assert response.status_code == status, response.content
    if status == 422:
        assert [d["field"] for d in response.json()["detail"]] == ["value"]


@pytest.mark.parametrize(("value", "status"), [("150", 201), ("0", 201), ("-1", 422)])
def test_counts_may_exceed_100_but_not_go_below_zero(api, manager, service, tickets, value, status):
    response = post(api(manager), service, metric_id=tickets.pk, period="2026-02-01", value=value)
    assert response.status_code == status, response.content
    if status == 422:
        assert response.json()["detail"][0]["field"] == "value"


# One value per period; changing it is a correction ---------------------------------------------------


def test_concurrent_posts_for_one_period_do_not_both_succeed(api, manager, service, availability, monkeypatch):
    """The second writer passes the check before the first one commits: the unique constraint stops it."""
    original = actions._prepare_measurement

    def racing(engagement, metric, period_start, value, note):  # type: ignore[no-untyped-def]
        prepared = original(engagement, metric, period_start, value, note)
        Measurement.objects.create(metric=metric, period_start=prepared.period_start, value=Decimal("99.0"))
        return prepared

    monkeypatch.setattr(actions, "_prepare_measurement", racing)
    response = post(api(manager), service, metric_id=availability.pk, period="2026-02-01", value="99.95")
    assert response.status_code == 409
    assert response.json()["detail"][0]["field"] == "period"
    # (the stand-in for the other writer rolls back with this request; in life it was committed apart)
    assert not Measurement.objects.filter(value=Decimal("99.95")).exists()


def test_the_form_shows_a_taken_period_by_its_field(client, manager, service, availability):
    do_record_measurement(service, metric_id=availability.pk, period_start="2026-02-01", value=1, acting_user=SYSTEM)
    client.force_login(manager)
    response = client.post(
        f"/engagements/{service.pk}/measurements/new",
        {"metric": availability.pk, "period": "2026-02-01", "value": "99.95"},
    )
    assert response.status_code == 200
    assert "already has a value" in response.context["form"].errors["period"][0]


def test_an_import_names_the_row_of_a_taken_period_and_writes_nothing(api, manager, service, availability):
    do_record_measurement(service, metric_id=availability.pk, period_start="2026-02-01", value=1, acting_user=SYSTEM)
    upload = csv_file("metric,period,value\nAvailability,2026-01,99.95\nAvailability,2026-02,99.95\n")
    response = api(manager).post(f"/engagements/{service.pk}/measurements/import", files={"file": upload})
    assert response.status_code == 422
    messages = [d["msg"] for d in response.json()["detail"]]
    assert any(m.startswith("Row 3, period:") and "already has a value" in m for m in messages), messages
    assert Measurement.objects.count() == 1


def test_a_correction_needs_a_reason_and_keeps_old_and_new_value_in_the_history(
    api, client, manager, service, availability
):
    measurement = do_record_measurement(
        service, metric_id=availability.pk, period_start="2026-02-01", value=Decimal("99.4"), acting_user=SYSTEM
    )
    url = f"/measurements/{measurement.pk}/corrections"
    missing = api(manager).post(url, {"value": "99.95", "reason": ""})
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "reason"
    response = api(manager).post(url, {"value": "99.95", "reason": "Monitoring outage counted twice"})
    assert response.status_code == 200, response.content
    assert response.json()["breached"] is False
    assert response.json()["correction_reason"] == "Monitoring outage counted twice"
    entry = LogEntry.objects.get_for_model(Measurement).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == manager
    assert entry.changes_dict["value"] == ["99.4000", "99.95"]
    assert entry.changes_dict["correction_reason"][1] == "Monitoring outage counted twice"
    client.force_login(manager)
    page = client.get(f"/engagements/{service.pk}/").content.decode()
    assert "Monitoring outage counted twice" in page and "99.4000" in page


def test_a_correction_obeys_the_value_rules(service, availability, manager):
    measurement = do_record_measurement(
        service, metric_id=availability.pk, period_start="2026-02-01", value=Decimal("99.4"), acting_user=SYSTEM
    )
    with pytest.raises(ValidationError) as info:
        do_correct_measurement(measurement, value="150", reason="typo", acting_user=manager)
    assert list(info.value.message_dict) == ["value"]


def test_the_correction_form_asks_for_the_reason(client, manager, service, availability):
    measurement = do_record_measurement(
        service, metric_id=availability.pk, period_start="2026-02-01", value=Decimal("99.4"), acting_user=SYSTEM
    )
    client.force_login(manager)
    url = f"/engagements/{service.pk}/measurements/{measurement.pk}/correction"
    response = client.post(url, {"value": "99.95", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"value": "99.95", "reason": "Probe misconfigured"})
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal("99.95") and measurement.correction_reason == "Probe misconfigured"


# A month without a measurement is no data ------------------------------------------------------------


@pytest.fixture
def march_missing(service, availability):
    with freeze_time("2026-05-10 04:00:00"):
        for month, value in ((1, "99.95"), (2, "99.95"), (4, "99.95")):
            do_record_measurement(
                service,
                metric_id=availability.pk,
                period_start=datetime.date(2026, month, 1),
                value=Decimal(value),
                acting_user=SYSTEM,
            )
    return datetime.date(2026, 5, 10)


def test_the_engagement_counts_its_gaps(api, manager, service, availability, march_missing):
    gaps = measurement_gaps(service, march_missing)
    assert [(g.metric.name, g.period_start) for g in gaps] == [("Availability", datetime.date(2026, 3, 1))]
    body = api(manager).get(f"/engagements/{service.pk}/measurement-gaps", as_of="2026-05-10").json()
    assert body["count"] == 1 and body["gaps"][0]["period_start"] == "2026-03-01"
    # May is not over on 10 May: not a gap yet.
    assert len(measurement_gaps(service, datetime.date(2026, 6, 1))) == 2


def test_a_gap_is_no_data_in_the_table_never_met(service, availability, march_missing):
    report = {p.period_start: p for p in sla_report(service, march_missing)}
    march = report[datetime.date(2026, 3, 1)]
    assert march.lines == [] and [m.name for m in march.gaps] == ["Availability"]
    assert march.breaches == 0 and march.total is None  # no data, not a zero credit


def test_the_chart_breaks_its_line_at_a_gap(service, availability, march_missing):
    # The issue replayed: the chart joined February to April as if March had been fine.
    (svg,) = attainment_charts(service, march_missing)
    path = svg.split('<path d="')[1].split('"')[0]
    assert path.count("M") == 2  # Jan–Feb, then Apr: two strokes
    assert "2026-03: no data" in svg


def test_the_page_shows_the_gap_and_its_count(client, manager, service, availability, march_missing):
    client.force_login(manager)
    with freeze_time("2026-05-10 04:00:00"):
        page = client.get(f"/engagements/{service.pk}/").content.decode()
    assert "1 period without a measurement (no data)" in page
    march_row = page.split('<tr class="gap">')[1].split("</tr>")[0]
    assert "Availability" in march_row and "no data" in march_row and ">met<" not in march_row
