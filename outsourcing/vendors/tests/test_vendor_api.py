"""The vendor calls of the API contract, with each persona."""

import pytest
from auditlog.models import LogEntry

from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db

VALID = {"name": "北方数据有限公司", "registration_number": "91110000MA0000000H", "country": "CN"}


def test_manager_creates_a_vendor_with_default_status(api, manager):
    response = api(manager).post("/vendors", VALID)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "prospective"
    assert body["country"] == "CN"
    assert Vendor.objects.get(pk=body["id"]).name == "北方数据有限公司"


def test_it_lists_vendors_paginated_with_count(api, manager, vendor_a, vendor_b):
    body = api(manager).get("/vendors", limit=1, offset=1).json()
    assert body["count"] == 2
    assert len(body["items"]) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"registration_number": ""}, "registration_number"),
        ({"registration_number": "r" * 65}, "registration_number"),
        ({"country": "XX"}, "country"),
        ({"country": "CHN"}, "country"),
        ({"status": "dormant"}, "status"),
    ],
)
def test_it_rejects_bad_input_naming_the_field_and_writes_nothing(api, manager, changes, field):
    response = api(manager).post("/vendors", {**VALID, **changes})
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not Vendor.objects.exists()
    assert not LogEntry.objects.get_for_model(Vendor).exists()


def test_it_rejects_a_duplicate_registration_number(api, manager, vendor_a):
    response = api(manager).post("/vendors", {**VALID, "registration_number": vendor_a.registration_number})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["registration_number"]
    assert Vendor.objects.count() == 1


def test_vendor_user_of_b_sees_nothing_of_a(api, vendor_a, vendor_b_user):
    client = api(vendor_b_user)
    assert client.get(f"/vendors/{vendor_a.pk}").status_code == 404
    assert client.patch(f"/vendors/{vendor_a.pk}", {"name": "mine now"}).status_code == 404
    assert client.delete(f"/vendors/{vendor_a.pk}").status_code == 404
    body = client.get("/vendors").json()
    assert [v["id"] for v in body["items"]] == [vendor_b_user.vendor_id]


def test_vendor_user_keeps_its_own_profile_but_not_its_status(api, vendor_a_user):
    client = api(vendor_a_user)
    vendor_id = vendor_a_user.vendor_id
    assert client.patch(f"/vendors/{vendor_id}", {"address": "北京市"}).status_code == 200
    assert client.patch(f"/vendors/{vendor_id}", {"status": "approved"}).status_code == 403
    assert Vendor.objects.get(pk=vendor_id).status == "prospective"
    assert client.post("/vendors", VALID).status_code == 403
    assert client.delete(f"/vendors/{vendor_id}").status_code == 403


def test_auditor_reads_but_cannot_change(api, auditor, vendor_a):
    client = api(auditor)
    assert client.get(f"/vendors/{vendor_a.pk}").status_code == 200
    assert client.patch(f"/vendors/{vendor_a.pk}", {"name": "x"}).status_code == 403
    assert client.post("/vendors", VALID).status_code == 403
    assert client.delete(f"/vendors/{vendor_a.pk}").status_code == 403
    assert Vendor.objects.get(pk=vendor_a.pk).name == vendor_a.name


def test_every_change_is_audited_with_actor_before_and_after(api, manager):
    client = api(manager)
    vendor_id = client.post("/vendors", VALID).json()["id"]
    client.patch(f"/vendors/{vendor_id}", {"status": "approved"})
    client.delete(f"/vendors/{vendor_id}")
    entries = list(LogEntry.objects.get_for_model(Vendor).filter(object_pk=str(vendor_id)).order_by("timestamp", "pk"))
    assert [e.action for e in entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]
    assert all(e.actor == manager for e in entries)
    assert entries[1].changes_dict["status"] == ["prospective", "approved"]


def test_unauthenticated_and_revoked_tokens_are_refused(api, manager):
    assert api(None).get("/vendors").status_code == 401
    client = api(manager)
    assert client.delete("/auth/token").status_code == 204
    assert client.get("/vendors").status_code == 401
