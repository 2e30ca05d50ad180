"""Two people editing the same vendor: the later stale change is refused, never silently written over the other."""

from __future__ import annotations

from typing import Any

import pytest

from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor(db: Any) -> Vendor:
    # Not CN, so the test needs no unified social credit code.
    return Vendor.objects.create(name="Nordwerk GmbH", registration_number="HRB-100200", country="DE")


def _form(vendor: Vendor, **changes: Any) -> dict[str, Any]:
    fields = {
        "name": vendor.name,
        "english_name": vendor.english_name,
        "registration_number": vendor.registration_number,
        "country": vendor.country.code,
        "address": vendor.address,
        "website": vendor.website,
        "status": vendor.status,
        "notes": vendor.notes,
    }
    return {**fields, **changes}


def test_the_edit_form_carries_the_version_it_was_loaded_with(web, manager, vendor):
    body = web(manager).get(f"/vendors/{vendor.pk}/edit").content.decode()
    assert 'name="version" value="1"' in body


def test_the_later_stale_form_is_refused_with_both_values(web, manager, admin, vendor):
    # Both open the form at version 1; the manager saves first.
    first = web(manager).post(f"/vendors/{vendor.pk}/edit", _form(vendor, address="1 Harbour Road", version=1))
    assert first.status_code == 302
    second = web(admin).post(f"/vendors/{vendor.pk}/edit", _form(vendor, address="9 Hill Street", version=1))

    assert second.status_code == 200
    body = second.content.decode()
    assert "Someone else saved this record while you were editing it" in body
    assert "1 Harbour Road" in body and "9 Hill Street" in body  # theirs and yours, side by side
    assert 'name="version" value="2"' in body  # sending it again deliberately keeps the admin's value
    vendor.refresh_from_db()
    assert vendor.address == "1 Harbour Road"
    assert vendor.version == 2


def test_a_form_sent_again_after_the_conflict_is_saved(web, manager, admin, vendor):
    web(manager).post(f"/vendors/{vendor.pk}/edit", _form(vendor, address="1 Harbour Road", version=1))
    again = web(admin).post(f"/vendors/{vendor.pk}/edit", _form(vendor, address="9 Hill Street", version=2))
    assert again.status_code == 302
    vendor.refresh_from_db()
    assert (vendor.address, vendor.version) == ("9 Hill Street", 3)


def test_every_save_raises_the_version_by_one(web, manager, vendor):
    for version in (1, 2, 3):
        response = web(manager).post(f"/vendors/{vendor.pk}/edit", _form(vendor, notes=f"n{version}", version=version))
        assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.version == 4


def test_the_api_sends_the_etag_of_a_single_record(api, manager, vendor):
    response = api(manager).get(f"/vendors/{vendor.pk}")
    assert response["ETag"] == '"1"'
    assert "ETag" not in api(manager).get("/vendors")  # a list is not one record


def test_a_stale_if_match_gets_412_and_writes_nothing(api, manager, vendor):
    client = api(manager)
    assert client.patch(f"/vendors/{vendor.pk}", {"address": "1 Harbour Road"}).status_code == 200
    stale = client.client.patch(
        f"/api/v1/vendors/{vendor.pk}",
        {"address": "9 Hill Street"},
        content_type="application/json",
        headers={**client.headers, "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    assert stale.json()["detail"][0]["field"] == "If-Match"
    assert '"2"' in stale.json()["detail"][0]["msg"]
    vendor.refresh_from_db()
    assert (vendor.address, vendor.version) == ("1 Harbour Road", 2)


def test_a_current_if_match_is_honoured_on_patch_and_delete(api, manager, vendor):
    client = api(manager)
    etag = client.get(f"/vendors/{vendor.pk}")["ETag"]
    saved = client.client.patch(
        f"/api/v1/vendors/{vendor.pk}",
        {"address": "1 Harbour Road"},
        content_type="application/json",
        headers={**client.headers, "If-Match": etag},
    )
    assert saved.status_code == 200
    assert client.get(f"/vendors/{vendor.pk}")["ETag"] == '"2"'
    refused = client.client.delete(f"/api/v1/vendors/{vendor.pk}", headers={**client.headers, "If-Match": etag})
    assert refused.status_code == 412
    assert Vendor.objects.filter(pk=vendor.pk).exists()
    deleted = client.client.delete(f"/api/v1/vendors/{vendor.pk}", headers={**client.headers, "If-Match": '"2"'})
    assert deleted.status_code == 204


def test_without_if_match_the_api_works_as_before(api, manager, vendor):
    client = api(manager)
    assert client.patch(f"/vendors/{vendor.pk}", {"address": "1 Harbour Road"}).status_code == 200
    assert client.patch(f"/vendors/{vendor.pk}", {"address": "9 Hill Street"}).status_code == 200
    vendor.refresh_from_db()
    assert vendor.address == "9 Hill Street"
