"""The measurement import reads with the shared reader and writes in bulk, audited with the importing user."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outsourcing.engagements.models import Measurement

from .conftest import csv_file

pytestmark = pytest.mark.django_db


def _import(api, user, engagement, text):
    return api(user).post(f"/engagements/{engagement.pk}/measurements/import", files={"file": csv_file(text)})


def test_new_measurements_are_written_in_bulk_and_audited(api, manager, service, availability):
    """A taken period is refused, not overwritten (SPEC "SLA measurements"): an import only adds."""
    text = "metric,period,value,note\n" + "".join(f"Availability,2026-{m:02d},99.9{m},\n" for m in range(1, 11))
    with CaptureQueriesContext(connection) as queries:
        response = _import(api, manager, service, text)
    assert response.status_code == 201, response.content
    writes = [
        q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE")) and "apitoken" not in q["sql"]
    ]
    assert len(writes) <= 2  # one INSERT of the measurements, one INSERT of their audit entries
    january = Measurement.objects.get(period_start="2026-01-01")
    assert str(january.value) == "99.9100"
    entries = LogEntry.objects.get_for_model(Measurement)
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 10
    assert {e.actor for e in entries} == {manager}
    again = _import(api, manager, service, "metric,period,value\nAvailability,2026-01,98\n")
    assert again.status_code == 422 and "already has a value" in again.content.decode()


def test_a_nul_character_or_an_overlong_field_is_a_row_error_not_a_500(api, manager, service, availability):
    text = (
        "metric,period,value,note\nAvailability,2026-01,99,a\x00b\n"
        + 'Availability,2026-02,99,"'
        + "n" * 140_000
        + '"\n'
    )
    response = _import(api, manager, service, text)
    assert response.status_code == 422
    assert [d["msg"] for d in response.json()["detail"]] == [
        "Row 2, note: The value contains a NUL character.",
        "Row 3: This row cannot be read as CSV (field larger than field limit (131072)).",
    ]
    assert not Measurement.objects.exists()


def test_an_error_bomb_answers_the_first_errors_and_a_count(api, manager, service, availability):
    text = "metric,period,value\n" + "".join(f"Unknown {'u' * 900},2026-01,1\n" for _ in range(2_000))
    response = _import(api, manager, service, text)
    assert response.status_code == 422
    details = response.json()["detail"]
    assert len(details) == 51 and details[-1]["msg"] == "… and 1950 more row errors."
    assert len(response.content) < 25_000


def _queries_for(api, user, engagement, months, year):
    text = "metric,period,value,note\n" + "".join(f"Availability,{year}-{m:02d},99.9,\n" for m in months)
    with CaptureQueriesContext(connection) as queries:
        response = _import(api, user, engagement, text)
    assert response.status_code == 201, response.content
    return len(queries.captured_queries)


def test_the_import_costs_the_same_queries_for_2_and_8_rows(api, manager, service, availability):
    """Taken periods are read once, not asked row by row (the import was ~3 queries a row)."""
    few = _queries_for(api, manager, service, range(1, 3), 2026)
    many = _queries_for(api, manager, service, range(3, 11), 2026)
    assert many <= few  # (the first import also looks up what later ones find cached)
    assert Measurement.objects.count() == 10
