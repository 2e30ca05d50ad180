"""The qualification calls of the API contract, with each persona."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from outsourcing.qualifications.models import Qualification

from .conftest import verify_via_api

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
VALID = {
    "type_code": "cmmi",
    "level": 3,
    "number": "0123456-01",
    "issuer": "CMMI Institute",
    "valid_from": (TODAY - datetime.timedelta(days=100)).isoformat(),
    "valid_until": (TODAY + datetime.timedelta(days=700)).isoformat(),
    "scope": "Software development and maintenance services",
}


def test_vendor_user_records_a_certificate_that_counts_only_once_the_owner_verifies_it(api, vendor_a_user, manager):
    vendor_id = vendor_a_user.vendor_id
    response = api(vendor_a_user).post(f"/vendors/{vendor_id}/qualifications", VALID)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["counts_today"] is False
    assert body["verification_status"] == "pending"
    assert body["status"] == "unverified"
    assert (body["type_code"], body["level"], body["vendor_id"]) == ("cmmi", 3, vendor_id)

    verified = verify_via_api(api(manager), body["id"])
    assert verified.status_code == 200, verified.content
    assert verified.json()["counts_today"] is True
    assert verified.json()["verified_by"] == "manager"
    assert verified.json()["verified_at"]


def test_counts_today_is_false_for_a_verified_but_expired_certificate(api, manager, vendor_a):
    expired = {
        **VALID,
        "valid_from": "2020-01-01",
        "valid_until": (TODAY - datetime.timedelta(days=1)).isoformat(),
    }
    body = api(manager).post(f"/vendors/{vendor_a.pk}/qualifications", expired).json()
    body = verify_via_api(api(manager), body["id"]).json()
    assert (body["counts_today"], body["status"]) == (False, "expired")


def test_manager_rejects_with_a_reason_and_the_reason_is_kept(api, manager, vendor_a):
    created = api(manager).post(f"/vendors/{vendor_a.pk}/qualifications", VALID).json()
    assert api(manager).post(f"/qualifications/{created['id']}/reject", {"reason": ""}).status_code == 422
    response = api(manager).post(f"/qualifications/{created['id']}/reject", {"reason": "Not in the CMMI register"})
    assert response.status_code == 200
    assert response.json()["verification_status"] == "rejected"
    assert response.json()["verification_note"] == "Not in the CMMI register"
    assert response.json()["counts_today"] is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type_code": "iso9001", "level": 2}, "level"),
        ({"level": 1}, "level"),
        ({"level": 6}, "level"),
        ({"level": -1}, "level"),
        ({"type_code": "unknown"}, "type_code"),
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"valid_from": "not-a-date"}, "valid_from"),
        ({"number": ""}, "number"),
        ({"number": "n" * 101}, "number"),
        ({"issuer": "i" * 201}, "issuer"),
        ({"scope": "s" * 2001}, "scope"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_written(api, manager, vendor_a, changes, field):
    response = api(manager).post(f"/vendors/{vendor_a.pk}/qualifications", {**VALID, **changes})
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not Qualification.objects.exists()
    assert not LogEntry.objects.get_for_model(Qualification).exists()


def test_a_missing_field_is_named(api, manager, vendor_a):
    body = {k: v for k, v in VALID.items() if k != "valid_until"}
    response = api(manager).post(f"/vendors/{vendor_a.pk}/qualifications", body)
    assert response.status_code == 422
    assert "valid_until" in [d["field"] for d in response.json()["detail"]]


def test_vendor_b_sees_nothing_of_as_qualifications(api, vendor_a, vendor_b_user, make_qualification):
    qualification = make_qualification(vendor_a, "iso9001")
    client = api(vendor_b_user)
    assert client.get(f"/vendors/{vendor_a.pk}/qualifications").status_code == 404
    assert client.post(f"/vendors/{vendor_a.pk}/qualifications", VALID).status_code == 404
    assert client.get(f"/qualifications/{qualification.pk}").status_code == 404
    assert client.patch(f"/qualifications/{qualification.pk}", {"number": "mine"}).status_code == 404
    assert client.delete(f"/qualifications/{qualification.pk}").status_code == 404
    assert client.post(f"/qualifications/{qualification.pk}/verify").status_code == 404
    assert client.post(f"/qualifications/{qualification.pk}/renew", VALID).status_code == 404
    assert client.get("/qualifications").json() == {"items": [], "count": 0}
    assert Qualification.objects.get().number == qualification.number


def test_vendor_user_cannot_verify_or_reject_even_its_own(api, vendor_a_user, make_qualification):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    client = api(vendor_a_user)
    assert client.post(f"/qualifications/{qualification.pk}/verify").status_code == 403
    assert client.post(f"/qualifications/{qualification.pk}/reject", {"reason": "x"}).status_code == 403
    qualification.refresh_from_db()
    assert qualification.verification_status == "pending"


def test_auditor_reads_but_changes_nothing(api, auditor, vendor_a, make_qualification):
    qualification = make_qualification(vendor_a, "iso9001", verified=False)
    client = api(auditor)
    assert client.get(f"/qualifications/{qualification.pk}").status_code == 200
    assert client.get(f"/vendors/{vendor_a.pk}/qualifications").json()["count"] == 1
    assert client.post(f"/vendors/{vendor_a.pk}/qualifications", VALID).status_code == 403
    assert client.patch(f"/qualifications/{qualification.pk}", {"number": "x"}).status_code == 403
    assert client.post(f"/qualifications/{qualification.pk}/verify").status_code == 403
    assert client.post(f"/qualifications/{qualification.pk}/reject", {"reason": "x"}).status_code == 403
    assert client.delete(f"/qualifications/{qualification.pk}").status_code == 403
    assert Qualification.objects.count() == 1
    assert Qualification.objects.get().verification_status == "pending"


def test_a_vendor_user_changing_a_verified_certificate_sends_it_back_to_pending(api, vendor_a_user, make_qualification):
    qualification = make_qualification(vendor_a_user.vendor, "cmmi", 3)
    body = api(vendor_a_user).patch(f"/qualifications/{qualification.pk}", {"valid_until": "2030-12-31"}).json()
    assert (body["verification_status"], body["verified_by"], body["counts_today"]) == (
        "pending",
        None,
        False,
    )


def test_the_owner_correcting_a_verified_certificate_keeps_it_verified(api, manager, vendor_a, make_qualification):
    qualification = make_qualification(vendor_a, "cmmi", 3)
    body = api(manager).patch(f"/qualifications/{qualification.pk}", {"scope": "Software development"}).json()
    assert body["verification_status"] == "verified"


def test_a_vendor_user_saving_unchanged_facts_keeps_it_verified(api, vendor_a_user, make_qualification):
    qualification = make_qualification(vendor_a_user.vendor, "cmmi", 3)
    body = api(vendor_a_user).patch(f"/qualifications/{qualification.pk}", {"level": 3}).json()
    assert body["verification_status"] == "verified"


def test_a_vendor_user_may_not_remove_a_verified_certificate(api, vendor_a_user, make_qualification):
    verified = make_qualification(vendor_a_user.vendor, "iso9001")
    pending = make_qualification(vendor_a_user.vendor, "iso14001", verified=False)
    assert api(vendor_a_user).delete(f"/qualifications/{verified.pk}").status_code == 403
    assert api(vendor_a_user).delete(f"/qualifications/{pending.pk}").status_code == 204
    assert list(Qualification.objects.all()) == [verified]


def test_renew_through_the_api(api, vendor_a_user, make_qualification):
    old = make_qualification(vendor_a_user.vendor, "cmmi", 3)
    renewal = {k: v for k, v in VALID.items() if k != "type_code"} | {"level": 5}
    response = api(vendor_a_user).post(f"/qualifications/{old.pk}/renew", renewal)
    assert response.status_code == 201, response.content
    assert response.json()["supersedes_id"] == old.pk
    assert api(vendor_a_user).get(f"/qualifications/{old.pk}").json()["superseded_by_id"] == response.json()["id"]


def test_list_filters_by_type_status_and_vendor(api, manager, vendor_a, vendor_b, make_qualification):
    make_qualification(vendor_a, "iso9001")
    make_qualification(vendor_a, "cmmi", 3, verified=False)
    make_qualification(vendor_b, "iso9001", valid_until=TODAY + datetime.timedelta(days=10))
    client = api(manager)
    assert client.get("/qualifications").json()["count"] == 3
    assert client.get("/qualifications", type_code="iso9001").json()["count"] == 2
    assert client.get("/qualifications", status="unverified").json()["count"] == 1
    assert client.get("/qualifications", status="expiring").json()["items"][0]["vendor_id"] == vendor_b.pk
    assert client.get("/qualifications", vendor_id=vendor_b.pk).json()["count"] == 1
    assert client.get("/qualifications", status="bogus").status_code == 422


def test_the_catalogue_lists_the_seeded_types(api, vendor_a_user):
    body = api(vendor_a_user).get("/qualification-types", limit=100).json()
    by_code = {t["code"]: t for t in body["items"]}
    assert set(by_code) == {
        "system_integration",
        "security_service",
        "cmmi",
        "iso9001",
        "iso27001",
        "iso20000",
        "iso14001",
    }
    assert (by_code["cmmi"]["min_level"], by_code["cmmi"]["max_level"]) == (2, 5)
    assert (by_code["system_integration"]["min_level"], by_code["system_integration"]["max_level"]) == (1, 5)
    assert (by_code["security_service"]["min_level"], by_code["security_service"]["max_level"]) == (1, 3)
    assert not by_code["iso20000"]["has_levels"] and by_code["iso20000"]["min_level"] is None
    assert "20000-1" in by_code["iso20000"]["name"]


def test_only_admins_add_types(api, admin, manager):
    new = {
        "code": "itss",
        "name": "ITSS O&M maturity",
        "category": "capability",
        "has_levels": True,
        "min_level": 1,
        "max_level": 4,
    }
    assert api(manager).post("/qualification-types", new).status_code == 403
    response = api(admin).post("/qualification-types", new)
    assert response.status_code == 201, response.content
    bad = {**new, "code": "cs", "has_levels": False}
    assert [d["field"] for d in api(admin).post("/qualification-types", bad).json()["detail"]] == ["min_level"]


def test_list_endpoint_query_count_does_not_grow_with_rows(
    api, manager, vendor_a, vendor_b, make_qualification, pdf, django_assert_max_num_queries
):
    from outsourcing.core.access import SYSTEM
    from outsourcing.qualifications.actions import do_attach_evidence

    for index in range(12):
        q = make_qualification(vendor_a if index % 2 else vendor_b, "iso9001", number=f"N-{index}", verified=False)
        do_attach_evidence(q, acting_user=SYSTEM, upload=pdf())
    client = api(manager)
    with django_assert_max_num_queries(6):
        body = client.get("/qualifications", limit=50).json()
    assert body["count"] == 12
    assert all(len(item["documents"]) == 1 for item in body["items"])


def test_a_type_in_use_cannot_be_deleted_but_an_unused_one_can(api, admin, manager, vendor_a, make_qualification):
    make_qualification(vendor_a, "iso14001")
    response = api(admin).delete("/qualification-types/iso14001")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["code"]
    assert api(manager).delete("/qualification-types/iso20000").status_code == 403
    assert api(admin).delete("/qualification-types/iso20000").status_code == 204
    assert api(admin).delete("/qualification-types/iso20000").status_code == 404


def test_the_openapi_document_describes_the_qualification_calls(api, manager):
    paths = api(manager).client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/vendors/{vendor_id}/qualifications",
        "/api/v1/qualifications/{qualification_id}/verify",
        "/api/v1/qualifications/{qualification_id}/documents",
        "/api/v1/engagements/{engagement_id}/requirements",
        "/api/v1/engagements/{engagement_id}/qualification-gaps",
        "/api/v1/qualification-types",
    ):
        assert path in paths, path
