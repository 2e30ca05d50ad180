"""The roster calls of the API contract, with each persona."""

import datetime

import pytest
from auditlog.models import LogEntry

from outsourcing.documents.models import Document
from outsourcing.teams.models import TeamMember

from .conftest import PDF, pdf

pytestmark = pytest.mark.django_db
D = datetime.date

VALID = {
    "full_name": "李明 Li Ming",
    "employee_number": "HX-0001",
    "employment_type": "regular",
    "hire_date": "2022-03-01",
    "probation_end_date": "2022-08-31",
    "prior_experience_months": 36,
}


def test_vendor_user_maintains_its_own_roster(api, vendor_a_user):
    client = api(vendor_a_user)
    vendor_id = vendor_a_user.vendor_id
    created = client.post(f"/vendors/{vendor_id}/members", VALID)
    assert created.status_code == 201, created.content
    member_id = created.json()["id"]
    assert created.json()["left_date"] is None
    changed = client.patch(f"/members/{member_id}", {"left_date": "2025-01-31", "title": "Senior engineer"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["left_date"] == "2025-01-31"
    listed = client.get(f"/vendors/{vendor_id}/members").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "Senior engineer"
    entries = LogEntry.objects.get_for_object(TeamMember.objects.get(pk=member_id))
    assert entries.count() == 2 and {e.actor_id for e in entries} == {vendor_a_user.pk}


def test_vendor_b_sees_nothing_of_a(api, vendor_a, vendor_b_user, person):
    member = person(vendor_a)
    document = Document.objects.get()
    client = api(vendor_b_user)
    assert client.get(f"/vendors/{vendor_a.pk}/members").status_code == 404
    assert client.post(f"/vendors/{vendor_a.pk}/members", VALID).status_code == 404
    assert client.get(f"/members/{member.pk}").status_code == 404
    assert client.patch(f"/members/{member.pk}", {"title": "x"}).status_code == 404
    assert client.post(f"/members/{member.pk}/documents", {"kind": "other"}, files={"file": pdf()}).status_code == 404
    assert client.get(f"/documents/{document.pk}").status_code == 404
    assert client.get(f"/vendors/{vendor_a.pk}/stability").status_code == 404
    assert TeamMember.objects.get(pk=member.pk).title == ""


def test_auditor_reads_but_cannot_change(api, auditor, vendor_a, person):
    member = person(vendor_a)
    client = api(auditor)
    assert client.get(f"/members/{member.pk}").status_code == 200
    assert client.get(f"/vendors/{vendor_a.pk}/stability").status_code == 200
    assert client.post(f"/vendors/{vendor_a.pk}/members", VALID).status_code == 403
    assert client.patch(f"/members/{member.pk}", {"title": "x"}).status_code == 403
    upload = client.post(f"/members/{member.pk}/documents", {"kind": "other"}, files={"file": pdf()})
    assert upload.status_code == 403
    assert TeamMember.objects.count() == 1 and Document.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"full_name": "x" * 201}, "full_name"),
        ({"employee_number": "n" * 65}, "employee_number"),
        ({"employment_type": "freelancer"}, "employment_type"),
        ({"hire_date": "2022-02-30"}, "hire_date"),
        ({"probation_end_date": "2022-02-28"}, "probation_end_date"),
        ({"left_date": "2022-03-01"}, "left_date"),
        ({"prior_experience_months": -1}, "prior_experience_months"),
        ({"prior_experience_months": 601}, "prior_experience_months"),
        ({"title": "t" * 201}, "title"),
    ],
)
def test_it_rejects_bad_input_naming_the_field_and_writes_nothing(api, manager, vendor_a, changes, field):
    response = api(manager).post(f"/vendors/{vendor_a.pk}/members", {**VALID, **changes})
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not TeamMember.objects.exists()
    assert not LogEntry.objects.get_for_model(TeamMember).exists()


def test_boundaries_are_accepted(api, manager, vendor_a):
    response = api(manager).post(
        f"/vendors/{vendor_a.pk}/members",
        {
            **VALID,
            "probation_end_date": "2022-03-01",
            "left_date": "2022-03-02",
            "prior_experience_months": 600,
        },
    )
    assert response.status_code == 201, response.content


def test_employee_numbers_are_unique_per_vendor(api, manager, vendor_a, vendor_b):
    assert api(manager).post(f"/vendors/{vendor_a.pk}/members", VALID).status_code == 201
    again = api(manager).post(f"/vendors/{vendor_a.pk}/members", VALID)
    assert again.status_code == 422
    assert api(manager).post(f"/vendors/{vendor_b.pk}/members", VALID).status_code == 201


def test_a_patch_that_breaks_a_rule_changes_nothing(api, manager, vendor_a, person):
    member = person(vendor_a, hire_date=D(2020, 1, 1))
    response = api(manager).patch(f"/members/{member.pk}", {"left_date": "2020-01-01", "title": "New"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "left_date"
    member.refresh_from_db()
    assert member.left_date is None and member.title == ""


def test_contract_upload_answers_id_kind_and_sha256(api, vendor_a_user, person):
    member = person(vendor_a_user.vendor, contract=False)
    response = api(vendor_a_user).post(
        f"/members/{member.pk}/documents", {"kind": "employment_contract"}, files={"file": pdf()}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    import hashlib

    assert body["kind"] == "employment_contract"
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = api(vendor_a_user).get(f"/documents/{body['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_upload_leaves_nothing(api, manager, vendor_a, person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member = person(vendor_a, contract=False)
    fake = SimpleUploadedFile("contract.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = api(manager).post(
        f"/members/{member.pk}/documents", {"kind": "employment_contract"}, files={"file": fake}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "file"
    assert not Document.objects.exists()


def test_member_list_query_count_does_not_grow_with_people(
    api, manager, vendor_a, person, django_assert_max_num_queries
):
    for i in range(30):
        person(vendor_a, full_name=f"P{i}", contract=False)
    client = api(manager)
    with django_assert_max_num_queries(6):
        body = client.get(f"/vendors/{vendor_a.pk}/members", limit=50).json()
    assert body["count"] == 30
