"""The lifecycle draft → selection → active → closing → closed (or terminated) and its activation guard."""

import pytest
from auditlog.models import LogEntry

from outsourcing.core.registry import Blocker
from outsourcing.engagements.models import Engagement

from .conftest import make_agreement, pdf

pytestmark = pytest.mark.django_db


def move(client, engagement, to, **extra):
    return client.post(f"/engagements/{engagement.pk}/transitions", {"to": to, **extra})


def test_a_new_engagement_starts_as_draft(api, manager, vendor_a):
    body = (
        api(manager)
        .post(
            "/engagements",
            {"title": "Help desk", "form": "service", "vendor_id": vendor_a.pk, "start_date": "2026-01-01"},
        )
        .json()
    )
    assert body["status"] == "draft"


def test_it_walks_the_whole_lifecycle_with_a_signed_agreement(api, manager, service, availability):
    make_agreement(service, signed=True)
    client = api(manager)
    for to in ("selection", "active", "closing", "closed"):
        response = move(client, service, to)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == to
    assert response.json()["override_reason"] == ""


@pytest.mark.parametrize(
    ("path", "to"),
    [((), "active"), ((), "closed"), (("selection",), "closing"), (("selection", "terminated"), "draft")],
)
def test_an_invalid_transition_is_refused_with_422_naming_both_states(api, manager, service, path, to):
    make_agreement(service, signed=True)
    client = api(manager)
    for step in path:
        assert move(client, service, step).status_code == 200
    before = Engagement.objects.get(pk=service.pk).status
    response = move(client, service, to)
    assert response.status_code == 422
    (detail,) = response.json()["detail"]
    assert (detail["loc"], detail["field"]) == (["body", "to"], "to")  # the request's name, not the model's
    assert "cannot move from" in detail["msg"]
    assert Engagement.objects.get(pk=service.pk).status == before


def test_an_unknown_status_is_refused(api, manager, service):
    response = move(api(manager), service, "paused")
    assert response.status_code == 422


def test_activation_needs_a_signed_agreement_not_just_an_agreement(api, manager, service, availability):
    agreement = make_agreement(service)
    client = api(manager)
    move(client, service, "selection")
    response = move(client, service, "active")
    assert response.status_code == 422
    assert "signed copy" in response.json()["detail"][0]["msg"]
    client.post(f"/engagements/{service.pk}/agreement/documents", {"kind": "service_agreement"}, files={"file": pdf()})
    assert agreement.pk and move(client, service, "active").status_code == 200


def test_registered_checks_block_activation_and_are_listed(api, manager, service, availability, fake_checks):
    make_agreement(service, signed=True)
    fake_checks(
        Blocker("qualification_gap", "Missing qualification: ISO/IEC 27001."),
        Blocker("no_completed_assessment", "No completed assessment allows approval."),
    )
    client = api(manager)
    move(client, service, "selection")
    blockers = client.get(f"/engagements/{service.pk}/activation-blockers").json()
    assert [b["code"] for b in blockers] == ["qualification_gap", "no_completed_assessment"]
    response = move(client, service, "active")
    assert response.status_code == 422
    assert len(response.json()["detail"]) == 2
    assert Engagement.objects.get(pk=service.pk).status == "selection"


def test_an_owner_override_activates_and_records_who_and_why_in_the_audit_trail(api, manager, service, fake_checks):
    fake_checks(Blocker("qualification_gap", "Missing qualification: CMMI 3."))
    client = api(manager)
    move(client, service, "selection")
    assert move(client, service, "active", override_reason="short").status_code == 422
    reason = "Emergency continuity: CMMI audit scheduled next month, approved by the CIO."
    response = move(client, service, "active", override_reason=reason)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active"
    assert body["override_by_id"] == manager.pk
    assert body["override_reason"] == reason
    entry = LogEntry.objects.get_for_model(Engagement).filter(object_pk=str(service.pk)).latest("timestamp")
    assert entry.actor == manager
    assert entry.changes_dict["status"] == ["selection", "active"]
    assert entry.changes_dict["override_reason"][1] == reason


def test_an_override_without_blockers_records_nothing(api, manager, service, availability):
    make_agreement(service, signed=True)
    client = api(manager)
    move(client, service, "selection")
    body = move(client, service, "active", override_reason="Not needed but given anyway").json()
    assert body["override_reason"] == "" and body["override_by_id"] is None


def test_auditor_and_vendor_users_cannot_move_an_engagement(api, auditor, vendor_a_user, service):
    assert move(api(auditor), service, "selection").status_code == 403
    assert move(api(vendor_a_user), service, "selection").status_code == 403
    assert Engagement.objects.get(pk=service.pk).status == "draft"


def test_the_web_transition_shows_the_reason_and_keeps_the_status(web, manager, service):
    client = web(manager)
    response = client.post(f"/engagements/{service.pk}/transition", {"to": "closed"}, follow=True)
    assert "cannot move from" in response.content.decode()
    assert Engagement.objects.get(pk=service.pk).status == "draft"
    client.post(f"/engagements/{service.pk}/transition", {"to": "selection"})
    assert Engagement.objects.get(pk=service.pk).status == "selection"
