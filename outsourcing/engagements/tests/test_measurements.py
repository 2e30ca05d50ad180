"""Measurements through the API and CSV/XLSX imports: refused with a clear message, nothing half-written."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from outsourcing.engagements.models import Measurement

from .conftest import csv_file, make_engagement, xlsx_file

pytestmark = pytest.mark.django_db


def record(client, service, **fields):
    return client.post(f"/engagements/{service.pk}/measurements", fields)


def test_it_records_a_measurement_with_derived_breach_and_attainment(api, manager, service, availability):
    response = record(api(manager), service, metric_id=availability.pk, period_start="2026-03-01", value="99.4")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["breached"] is True
    assert Decimal(body["shortfall"]) == Decimal("0.5")


def test_recording_the_same_period_again_is_refused_not_overwritten(api, manager, service, availability):
    # The issue replayed: entering a month again silently overwrote it.
    client = api(manager)
    record(client, service, metric_id=availability.pk, period_start="2026-03-01", value="99.4")
    response = record(client, service, metric_id=availability.pk, period_start="2026-03-01", value="99.95")
    assert response.status_code == 409
    assert [d["field"] for d in response.json()["detail"]] == ["period"]
    assert "correct" in response.json()["detail"][0]["msg"]
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("99.4") and measurement.breached is True
    entries = LogEntry.objects.get_for_model(Measurement).filter(object_pk=str(measurement.pk))
    assert [e.action for e in entries] == [LogEntry.Action.CREATE]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"period_start": "2025-12-01"}, "period", "outside the agreement"),
        ({"period_start": "2024-01-01"}, "period", "outside the agreement"),
        ({"period_start": "2026-03-15"}, "period", "first day"),
        ({"period_start": "2999-01-01"}, "period", "not over yet"),
        ({"value": "-1"}, "value", "negative"),
        ({"metric_id": 999999}, "metric_id", "no metric"),
    ],
)
def test_bad_measurements_are_refused_and_nothing_is_written(api, manager, service, availability, fields, field, words):
    body = {"metric_id": availability.pk, "period_start": "2026-03-01", "value": "99.9", **fields}
    response = api(manager).post(f"/engagements/{service.pk}/measurements", body)
    assert response.status_code == 422
    (detail,) = response.json()["detail"]
    assert detail["field"] == field and words in detail["msg"]
    assert not Measurement.objects.exists()


def test_a_metric_of_another_engagement_is_an_unknown_metric(api, manager, vendor_a, service, availability):
    other = make_engagement(vendor_a, title="Other")
    response = record(api(manager), other, metric_id=availability.pk, period_start="2026-03-01", value="1")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "metric_id"


def test_a_csv_import_writes_every_row(api, manager, service, availability, response_time):
    text = (
        "metric,period,value,note\n"
        "Availability,2026-01,99.95,\n"
        "response time,2026-01,3.5,ok\n"
        "Availability,2026-02-01,99.2,\n"
    )
    response = api(manager).post(f"/engagements/{service.pk}/measurements/import", files={"file": csv_file(text)})
    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 3}
    assert Measurement.objects.filter(breached=True).count() == 1


def test_a_bad_import_lists_every_bad_row_and_writes_nothing(api, manager, service, availability):
    text = (
        "metric,period,value\n"
        "Availability,2026-01,99.95\n"  # fine
        "Uptime,2026-02,99\n"  # unknown metric
        "Availability,2027-03,99\n"  # outside the agreement
        "Availability,2026-04,-3\n"  # negative
        "Availability,March,99\n"  # not a period
        "Availability,2026-05,abc\n"  # not a number
        "Availability,2026-01,99.1\n"  # the same period twice
    )
    response = api(manager).post(f"/engagements/{service.pk}/measurements/import", files={"file": csv_file(text)})
    assert response.status_code == 422
    messages = [d["msg"] for d in response.json()["detail"]]
    assert [d["field"] for d in response.json()["detail"]] == ["file"] * 6
    assert [m.split(":")[0].split(",")[0] for m in messages] == [f"Row {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "unknown metric" in messages[0]
    assert not Measurement.objects.exists()


def test_an_xlsx_import_reads_dates_and_numbers_from_cells(api, manager, service, availability):
    import datetime

    rows = [["metric", "period", "value"], ["Availability", datetime.datetime(2026, 3, 1), 99.91]]
    response = api(manager).post(f"/engagements/{service.pk}/measurements/import", files={"file": xlsx_file(rows)})
    assert response.status_code == 201, response.content
    assert Measurement.objects.get().value == Decimal("99.91")


def test_an_import_without_the_needed_columns_is_refused(api, manager, service, availability):
    response = api(manager).post(
        f"/engagements/{service.pk}/measurements/import", files={"file": csv_file("name,when\nx,y\n")}
    )
    assert response.status_code == 422
    assert "lacks the columns" in response.json()["detail"][0]["msg"]


def test_the_web_import_shows_the_bad_rows_next_to_the_file_field(web, manager, service, availability):
    response = web(manager).post(
        f"/engagements/{service.pk}/measurements/import",
        {"file": csv_file("metric,period,value\nUptime,2026-02,99\n")},
    )
    assert response.status_code == 200
    assert "Row 2: unknown metric" in response.content.decode()
    assert not Measurement.objects.exists()


def test_metrics_with_duplicate_names_or_bad_bands_are_refused(api, manager, service, availability):
    client = api(manager)
    base = {"name": "Availability", "unit": "%", "target": "99"}
    assert client.post(f"/engagements/{service.pk}/sla-metrics", base).status_code == 422
    bad_bands = {**base, "name": "Uptime", "bands": [{"shortfall_from": "1", "credit_percent": "120"}]}
    response = client.post(f"/engagements/{service.pk}/sla-metrics", bad_bands)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "bands"
    assert service.sla_metrics.count() == 1


def test_sla_metrics_belong_to_service_like_forms_only(api, manager, vendor_a):
    contracted = make_engagement(vendor_a, form="contracting_out")
    response = api(manager).post(
        f"/engagements/{contracted.pk}/sla-metrics", {"name": "Uptime", "unit": "%", "target": "99"}
    )
    assert response.status_code == 422
