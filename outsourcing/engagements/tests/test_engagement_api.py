"""The engagement calls of the API contract, with each persona."""

import pytest
from auditlog.models import LogEntry

from outsourcing.engagements.models import Engagement

from .conftest import make_agreement, make_engagement

pytestmark = pytest.mark.django_db


def valid(vendor, **extra):
    return {
        "title": "政务云运维 Cloud O&M",
        "form": "service",
        "vendor_id": vendor.pk,
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        **extra,
    }


def test_manager_creates_an_engagement_with_the_contract_fields(api, manager, vendor_a):
    response = api(manager).post(
        "/engagements",
        valid(
            vendor_a,
            min_tenure_months=24,
            min_experience_months=36,
            code="OM-1",
            department="IT Centre",
            manager_id=manager.pk,
            is_operations_maintenance=True,
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["vendor_id"] == vendor_a.pk and body["vendor_name"] == vendor_a.name
    assert (body["min_tenure_months"], body["min_experience_months"]) == (24, 36)
    assert body["manager_id"] == manager.pk and body["is_operations_maintenance"] is True


def test_defaults_for_the_stability_thresholds(api, manager, vendor_a):
    body = api(manager).post("/engagements", valid(vendor_a)).json()
    assert (body["min_tenure_months"], body["min_experience_months"]) == (12, 24)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"form": "offshoring"}, "form"),
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"vendor_id": None}, "vendor_id"),
        ({"vendor_id": 987654}, "vendor_id"),
        ({"min_tenure_months": -1}, "min_tenure_months"),
        ({"min_experience_months": 1201}, "min_experience_months"),
        ({"form": "insourcing"}, "vendor_id"),  # insourcing has no vendor
        ({"form": "insourcing", "vendor_id": None}, "internal_unit"),  # but an internal unit
        ({"code": "c" * 33}, "code"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(api, manager, vendor_a, changes, field):
    response = api(manager).post("/engagements", {**valid(vendor_a), **changes})
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not Engagement.objects.exists()
    assert not LogEntry.objects.get_for_model(Engagement).exists()


def test_a_vendor_user_cannot_be_the_responsible_manager(api, manager, vendor_a, vendor_a_user):
    response = api(manager).post("/engagements", valid(vendor_a, manager_id=vendor_a_user.pk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "manager_id"


def test_insourcing_names_an_internal_unit_as_provider(api, manager):
    body = (
        api(manager)
        .post(
            "/engagements",
            {
                "title": "Help desk",
                "form": "insourcing",
                "internal_unit": "共享服务中心",
                "start_date": "2026-01-01",
            },
        )
        .json()
    )
    assert body["vendor_id"] is None and body["provider"] == "共享服务中心"


def test_patch_changes_only_what_is_sent_and_is_audited(api, manager, service):
    client = api(manager)
    response = client.patch(f"/engagements/{service.pk}", {"title": "Renamed", "min_tenure_months": 18})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Renamed"
    assert response.json()["form"] == "service"
    entry = LogEntry.objects.get_for_model(Engagement).filter(object_pk=str(service.pk)).latest("timestamp")
    assert entry.actor == manager
    assert entry.changes_dict["title"][1] == "Renamed"
    assert entry.changes_dict["min_tenure_months"] == ["12", "18"]


def test_patch_cannot_set_the_status_directly(api, manager, service):
    response = api(manager).patch(f"/engagements/{service.pk}", {"status": "active"})
    assert Engagement.objects.get(pk=service.pk).status == "draft"
    assert response.status_code == 200  # unknown fields are ignored; the lifecycle has its own endpoint


def test_vendor_b_sees_nothing_of_vendor_a(api, vendor_b_user, service, availability):
    client = api(vendor_b_user)
    assert client.get("/engagements").json() == {"items": [], "count": 0}
    for path in (
        f"/engagements/{service.pk}",
        f"/engagements/{service.pk}/agreement",
        f"/engagements/{service.pk}/credits",
        f"/engagements/{service.pk}/sla-metrics",
        f"/engagements/{service.pk}/measurements",
        f"/engagements/{service.pk}/activation-blockers",
        f"/sla-metrics/{availability.pk}",
    ):
        assert client.get(path).status_code == 404, path
    assert client.patch(f"/engagements/{service.pk}", {"title": "mine"}).status_code == 404
    assert client.post(f"/engagements/{service.pk}/transitions", {"to": "selection"}).status_code == 404


def test_vendor_a_reads_its_engagements_but_changes_nothing(api, vendor_a_user, service, availability):
    client = api(vendor_a_user)
    assert client.get(f"/engagements/{service.pk}").status_code == 200
    assert client.get(f"/engagements/{service.pk}/credits").status_code == 200
    assert client.patch(f"/engagements/{service.pk}", {"title": "x"}).status_code == 403
    assert client.post("/engagements", valid(service.vendor)).status_code == 403
    body = {"metric_id": availability.pk, "period_start": "2026-03-01", "value": "100"}
    assert client.post(f"/engagements/{service.pk}/measurements", body).status_code == 403


def test_auditor_reads_everything_and_changes_nothing(api, auditor, service, agreement):
    client = api(auditor)
    assert client.get(f"/engagements/{service.pk}").status_code == 200
    assert client.patch(f"/engagements/{service.pk}", {"title": "x"}).status_code == 403
    assert client.patch(f"/engagements/{service.pk}/agreement", {"value": "1"}).status_code == 403
    assert (
        client.post(f"/engagements/{service.pk}/deliverables", {"title": "x", "due_date": "2026-01-01"}).status_code
        == 403
    )
    assert Engagement.objects.get(pk=service.pk).title == service.title


def test_the_list_filters_by_form_status_and_vendor(api, manager, vendor_a, vendor_b):
    make_engagement(vendor_a, form="service")
    make_engagement(vendor_b, form="contracting_out")
    client = api(manager)
    assert client.get("/engagements", form="contracting_out").json()["count"] == 1
    assert client.get("/engagements", vendor_id=vendor_a.pk).json()["count"] == 1
    assert client.get("/engagements", status="active").json()["count"] == 0


def test_the_list_endpoint_query_count_does_not_grow_with_rows(api, manager, vendor_a, django_assert_max_num_queries):
    for n in range(30):
        make_agreement(make_engagement(vendor_a, title=f"E{n}"))
    client = api(manager)
    with django_assert_max_num_queries(4):
        body = client.get("/engagements", limit=50).json()
    assert body["count"] == 30
