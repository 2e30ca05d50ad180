"""Engagement requirements and gaps through the API, with each persona."""

import pytest

from outsourcing.qualifications.models import QualificationRequirement

pytestmark = pytest.mark.django_db


def test_manager_requires_qualifications_and_reads_the_gaps(api, manager, engagement_a, make_qualification):
    client = api(manager)
    response = client.post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "cmmi", "min_level": 3})
    assert response.status_code == 201, response.content
    assert response.json()["type_code"] == "cmmi" and response.json()["min_level"] == 3
    assert client.post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "iso27001"}).status_code == 201
    make_qualification(engagement_a.vendor, "cmmi", 3, valid_from="2026-01-01", valid_until="2026-12-31")

    gaps = client.get(f"/engagements/{engagement_a.pk}/qualification-gaps", as_of="2026-12-31")
    assert gaps.status_code == 200
    assert gaps.json() == {"met": ["cmmi"], "missing": ["iso27001"]}
    after = client.get(f"/engagements/{engagement_a.pk}/qualification-gaps", as_of="2027-01-01").json()
    assert after == {"met": [], "missing": ["cmmi", "iso27001"]}
    assert client.get(f"/engagements/{engagement_a.pk}/requirements").json()["count"] == 2


def test_gaps_default_to_today(api, manager, engagement_a, make_qualification):
    api(manager).post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "iso9001"})
    make_qualification(engagement_a.vendor, "iso9001")  # valid 2025-01-01 … 2027-12-31
    body = api(manager).get(f"/engagements/{engagement_a.pk}/qualification-gaps").json()
    assert body == {"met": ["iso9001"], "missing": []}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type_code": "iso9001", "min_level": 1}, "min_level"),
        ({"type_code": "cmmi", "min_level": 6}, "min_level"),
        ({"type_code": "nope"}, "type_code"),
        ({"min_level": 2}, "type_code"),
    ],
)
def test_bad_requirements_are_422_naming_the_field(api, manager, engagement_a, body, field):
    response = api(manager).post(f"/engagements/{engagement_a.pk}/requirements", body)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not QualificationRequirement.objects.exists()


def test_a_bad_date_is_named(api, manager, engagement_a):
    response = api(manager).get(f"/engagements/{engagement_a.pk}/qualification-gaps", as_of="2026-02-30")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["as_of"]


def test_requirement_can_be_changed_and_removed(api, manager, engagement_a):
    requirement_id = (
        api(manager)
        .post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "cmmi", "min_level": 3})
        .json()["id"]
    )
    changed = api(manager).patch(f"/qualification-requirements/{requirement_id}", {"min_level": 5})
    assert changed.json()["min_level"] == 5
    assert api(manager).delete(f"/qualification-requirements/{requirement_id}").status_code == 204
    assert not QualificationRequirement.objects.exists()


def test_vendor_user_reads_its_own_gaps_but_sets_no_requirement(api, vendor_a_user, engagement_a):
    client = api(vendor_a_user)
    assert client.get(f"/engagements/{engagement_a.pk}/qualification-gaps").status_code == 200
    assert client.post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "iso9001"}).status_code == 403
    assert not QualificationRequirement.objects.exists()


def test_vendor_b_sees_nothing_of_as_engagement(api, manager, vendor_b_user, engagement_a):
    requirement_id = (
        api(manager).post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "iso9001"}).json()["id"]
    )
    client = api(vendor_b_user)
    assert client.get(f"/engagements/{engagement_a.pk}/qualification-gaps").status_code == 404
    assert client.get(f"/engagements/{engagement_a.pk}/requirements").status_code == 404
    assert client.post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "cmmi"}).status_code == 404
    assert client.patch(f"/qualification-requirements/{requirement_id}", {"min_level": None}).status_code == 404
    assert client.delete(f"/qualification-requirements/{requirement_id}").status_code == 404


def test_auditor_reads_gaps_but_sets_no_requirement(api, auditor, engagement_a):
    client = api(auditor)
    assert client.get(f"/engagements/{engagement_a.pk}/qualification-gaps").json() == {
        "met": [],
        "missing": [],
    }
    assert client.post(f"/engagements/{engagement_a.pk}/requirements", {"type_code": "iso9001"}).status_code == 403
    assert not QualificationRequirement.objects.exists()
