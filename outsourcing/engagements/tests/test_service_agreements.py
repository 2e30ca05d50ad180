"""Service agreements: derived state at the edges of each date, versions that never overlap, bad input."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from outsourcing.engagements.models import AgreementVersion, ServiceAgreement

pytestmark = pytest.mark.django_db

D = datetime.date
VALID = {
    "number": "HT-2026-0001",
    "owner_party": "City Data Bureau",
    "provider_party": "Vendor A",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "value": "1200000.00",
    "currency": "CNY",
    "notice_period_days": 90,
}


def agreement_of(**overrides):
    fields = {
        "start_date": D(2026, 1, 1),
        "end_date": D(2026, 12, 31),
        "notice_period_days": 90,
        "value": Decimal(1),
        "number": "X",
    }
    fields.update(overrides)
    agreement = ServiceAgreement(**fields)
    agreement.derive_deadlines()
    return agreement


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2025, 12, 31), "upcoming"),
        (D(2026, 1, 1), "active"),
        (D(2026, 10, 1), "decision_due"),  # the day before the notice deadline
        (D(2026, 10, 2), "decision_due"),  # 31 Dec − 90 days: the notice deadline itself
        (D(2026, 10, 3), "expiring"),
        (D(2026, 12, 31), "expiring"),  # the last day
        (D(2027, 1, 1), "expired"),
    ],
)
def test_derived_state_at_the_edges_of_the_term(today, state):
    assert agreement_of().state(today) == state


def test_a_termination_date_wins_from_that_day_on():
    agreement = agreement_of(terminated_on=D(2026, 6, 30))
    assert agreement.state(D(2026, 6, 29)) == "ending"  # scheduled
    assert agreement.state(D(2026, 6, 30)) == "terminated"


def test_manager_records_the_agreement_and_reads_its_state(api, manager, service):
    client = api(manager)
    response = client.post(f"/engagements/{service.pk}/agreement", VALID)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["notice_date"] == "2026-10-02"
    assert body["signed"] is False
    assert Decimal(body["value"]) == Decimal("1200000.00")
    patched = client.patch(f"/engagements/{service.pk}/agreement", {"notice_period_days": 30}).json()
    assert patched["notice_date"] == "2026-12-01"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"value": "-0.01"}, "value"),
        ({"monthly_fee": "-5"}, "monthly_fee"),
        ({"currency": "yuan"}, "currency"),
        ({"number": ""}, "number"),
        ({"notice_period_days": -1}, "notice_period_days"),
    ],
)
def test_bad_agreements_are_refused_naming_the_field_and_nothing_is_written(api, manager, service, changes, field):
    response = api(manager).post(f"/engagements/{service.pk}/agreement", {**VALID, **changes})
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not ServiceAgreement.objects.exists()
    assert not LogEntry.objects.get_for_model(ServiceAgreement).exists()


def version(client, service, **fields):
    body = {"changes": "Night shift added", "signed_on": "2026-03-25", "signed_by": "王磊 / 陈静", **fields}
    return client.post(f"/engagements/{service.pk}/agreement/versions", body)


def test_versions_are_numbered_and_may_touch_but_not_overlap(api, manager, service, agreement):
    client = api(manager)
    first = version(client, service, effective_from="2026-01-01", effective_to="2026-03-31")
    assert first.status_code == 201, first.content
    second = version(client, service, effective_from="2026-04-01")
    assert second.status_code == 201
    assert [first.json()["number"], second.json()["number"]] == [1, 2]
    listed = client.get(f"/engagements/{service.pk}/agreement/versions").json()
    assert [v["effective_from"] for v in listed] == ["2026-01-01", "2026-04-01"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"effective_from": "2026-03-31"}, "effective_from"),  # overlaps version 1 by one day
        ({"effective_from": "2025-12-01", "effective_to": "2026-01-15"}, "effective_from"),
        ({"effective_from": "2026-06-01", "effective_to": "2026-05-01"}, "effective_to"),
        ({"effective_from": "2027-02-01"}, "effective_from"),  # after the agreement
    ],
)
def test_overlapping_or_misdated_versions_are_refused(api, manager, service, agreement, fields, field):
    client = api(manager)
    version(client, service, effective_from="2026-01-01", effective_to="2026-03-31")
    response = version(client, service, **fields)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [field]
    assert AgreementVersion.objects.count() == 1


def test_an_open_ended_version_blocks_any_later_one(api, manager, service, agreement):
    client = api(manager)
    version(client, service, effective_from="2026-02-01")
    response = version(client, service, effective_from="2026-09-01", effective_to="2026-09-30")
    assert response.status_code == 422
    assert "overlaps version 1" in response.json()["detail"][0]["msg"]


def test_only_agreement_documents_may_be_attached_and_a_bad_file_leaves_nothing(api, manager, service, agreement):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outsourcing.documents.models import Document

    client = api(manager)
    path = f"/engagements/{service.pk}/agreement/documents"
    from .conftest import pdf

    assert client.post(path, {"kind": "employment_contract"}, files={"file": pdf()}).status_code == 422
    fake = SimpleUploadedFile("x.pdf", b"not a pdf at all")
    assert client.post(path, {"kind": "service_agreement"}, files={"file": fake}).status_code == 422
    assert not Document.objects.exists()
    response = client.post(path, {"kind": "service_agreement"}, files={"file": pdf()})
    assert response.status_code == 201
    assert client.get(f"/engagements/{service.pk}/agreement").json()["signed"] is True
