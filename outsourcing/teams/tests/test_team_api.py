"""Engagement teams, co-sourcing and replacements through the API."""

import datetime

import pytest

from outsourcing.teams.actions import do_add_to_team
from outsourcing.teams.models import Replacement, TeamAssignment

pytestmark = pytest.mark.django_db
D = datetime.date


def test_manager_puts_a_member_on_the_team(api, manager, engagement_a, person):
    m = person(engagement_a.vendor)
    response = api(manager).post(
        f"/engagements/{engagement_a.pk}/team",
        {"member_id": m.pk, "role": "Project lead", "key_person": True, "start_date": "2024-02-01"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member_id"] == m.pk and body["key_person"] is True and body["side"] == "vendor"
    assert body["acknowledged"] is True
    listed = api(manager).get(f"/engagements/{engagement_a.pk}/team").json()
    assert listed["count"] == 1


def test_a_vendor_addition_is_flagged_until_the_owner_acknowledges(api, manager, vendor_a_user, engagement_a, person):
    m = person(engagement_a.vendor)
    body = (
        api(vendor_a_user)
        .post(
            f"/engagements/{engagement_a.pk}/team",
            {"member_id": m.pk, "role": "DBA", "start_date": "2024-02-01"},
        )
        .json()
    )
    assert body["acknowledged"] is False
    assert api(vendor_a_user).post(f"/assignments/{body['id']}/acknowledge").status_code == 403
    assert api(manager).post(f"/assignments/{body['id']}/acknowledge").json()["acknowledged"] is True


def test_someone_of_another_vendor_cannot_join(api, manager, engagement_a, vendor_b, person):
    stranger = person(vendor_b)
    response = api(manager).post(
        f"/engagements/{engagement_a.pk}/team",
        {"member_id": stranger.pk, "role": "DBA", "start_date": "2024-02-01"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "member_id"
    assert not TeamAssignment.objects.exists()


def test_vendor_b_and_auditor(api, auditor, vendor_b_user, engagement_a, person):
    m = person(engagement_a.vendor)
    body = {"member_id": m.pk, "role": "DBA", "start_date": "2024-02-01"}
    assert api(vendor_b_user).post(f"/engagements/{engagement_a.pk}/team", body).status_code == 404
    assert api(vendor_b_user).get(f"/engagements/{engagement_a.pk}/eligibility").status_code == 404
    assert api(auditor).post(f"/engagements/{engagement_a.pk}/team", body).status_code == 403
    assert api(auditor).get(f"/engagements/{engagement_a.pk}/eligibility").status_code == 200
    assert not TeamAssignment.objects.exists()


def test_co_sourcing_teams_hold_owner_side_staff(api, manager, cosource, engagement_a, person):
    ok = api(manager).post(
        f"/engagements/{cosource.pk}/team",
        {
            "side": "owner",
            "owner_name": "周婷 Zhou Ting",
            "role": "Owner's duty lead",
            "start_date": "2024-01-01",
        },
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["person_name"] == "周婷 Zhou Ting"
    own = api(manager).post(
        f"/engagements/{cosource.pk}/team",
        {"side": "owner", "owner_user_id": manager.pk, "role": "Coordinator", "start_date": "2024-01-01"},
    )
    assert own.status_code == 201
    refused = api(manager).post(
        f"/engagements/{engagement_a.pk}/team",
        {"side": "owner", "owner_name": "Zhou", "role": "x", "start_date": "2024-01-01"},
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "side"
    # owner-side people are never evaluated for eligibility
    assert api(manager).get(f"/engagements/{cosource.pk}/eligibility").json()["members"] == []


def _key_team(engagement, manager, person):
    lead = person(engagement.vendor, full_name="王磊 Wang Lei")
    successor = person(engagement.vendor, full_name="Emily Chen", hire_date=D(2024, 1, 1), probation_end_date=None)
    place = do_add_to_team(
        engagement, acting_user=manager, member=lead, role="Lead", key_person=True, start_date=D(2024, 1, 1)
    )
    return lead, successor, place


def test_a_key_person_replacement_waits_for_the_owner(api, manager, vendor_a_user, engagement_a, person):
    _lead, successor, place = _key_team(engagement_a, manager, person)
    proposed = api(vendor_a_user).post(
        f"/engagements/{engagement_a.pk}/replacements",
        {
            "outgoing_id": place.pk,
            "successor_id": successor.pk,
            "reason": "Relocating to Shenzhen",
            "effective_date": "2024-09-01",
        },
    )
    assert proposed.status_code == 201, proposed.content
    body = proposed.json()
    assert body["status"] == "pending" and body["key_person"] is True
    assert body["successor_eligibility"] == {
        "member_id": successor.pk,
        "eligible": False,
        "waived": False,
        "reasons": ["probation_not_passed", "insufficient_tenure_and_experience"],
    }
    place.refresh_from_db()
    assert place.end_date is None  # nothing changes before approval
    assert api(vendor_a_user).post(f"/replacements/{body['id']}/approve", {}).status_code == 403
    approved = api(manager).post(f"/replacements/{body['id']}/approve", {"note": "OK for the handover"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    place.refresh_from_db()
    assert place.end_date == D(2024, 8, 31) and place.leave_reason == "replaced"
    new = TeamAssignment.objects.get(pk=approved.json()["new_assignment_id"])
    assert new.member == successor and new.key_person and new.start_date == D(2024, 9, 1)
    assert api(manager).post(f"/replacements/{body['id']}/reject", {}).status_code == 422
    metrics = (
        api(manager).get(f"/engagements/{engagement_a.pk}/team-metrics", start="2024-01-01", end="2024-12-31").json()
    )
    assert metrics["left_team"] == 1 and metrics["changes"] == 2
    assert metrics["size_start"] == 1 and metrics["size_end"] == 1
    assert metrics["replacement_rate"] == 1.0


def test_a_rejected_replacement_changes_nothing(api, manager, vendor_a_user, engagement_a, person):
    _lead, successor, place = _key_team(engagement_a, manager, person)
    replacement = (
        api(vendor_a_user)
        .post(
            f"/engagements/{engagement_a.pk}/replacements",
            {
                "outgoing_id": place.pk,
                "successor_id": successor.pk,
                "reason": "Reassigned",
                "effective_date": "2024-09-01",
            },
        )
        .json()
    )
    assert (
        api(manager).post(f"/replacements/{replacement['id']}/reject", {"note": "Not during go-live"}).json()["status"]
        == "rejected"
    )
    assert TeamAssignment.objects.count() == 1
    assert TeamAssignment.objects.get().end_date is None


def test_a_non_key_replacement_applies_at_once(api, manager, vendor_a_user, engagement_a, person):
    dev = person(engagement_a.vendor, full_name="Dev")
    successor = person(engagement_a.vendor, full_name="Next")
    place = do_add_to_team(engagement_a, acting_user=manager, member=dev, role="Dev", start_date=D(2024, 1, 1))
    body = (
        api(vendor_a_user)
        .post(
            f"/engagements/{engagement_a.pk}/replacements",
            {
                "outgoing_id": place.pk,
                "successor_id": successor.pk,
                "reason": "Resigned",
                "effective_date": "2024-05-01",
            },
        )
        .json()
    )
    assert body["status"] == "applied"
    assert TeamAssignment.objects.filter(end_date__isnull=True).get().member == successor


def test_the_vendor_cannot_simply_drop_a_key_person(api, vendor_a_user, manager, engagement_a, person):
    _lead, _successor, place = _key_team(engagement_a, manager, person)
    response = api(vendor_a_user).post(
        f"/assignments/{place.pk}/end", {"end_date": "2024-06-30", "leave_reason": "resigned"}
    )
    assert response.status_code == 403
    place.refresh_from_db()
    assert place.end_date is None


def test_replacement_input_is_checked(api, vendor_a_user, manager, engagement_a, person, vendor_b):
    _lead, successor, place = _key_team(engagement_a, manager, person)
    stranger = person(vendor_b)
    url = f"/engagements/{engagement_a.pk}/replacements"
    bad_successor = api(vendor_a_user).post(
        url,
        {
            "outgoing_id": place.pk,
            "successor_id": stranger.pk,
            "reason": "x" * 3,
            "effective_date": "2024-09-01",
        },
    )
    assert bad_successor.status_code == 422 and bad_successor.json()["detail"][0]["field"] == "successor_id"
    too_early = api(vendor_a_user).post(
        url,
        {
            "outgoing_id": place.pk,
            "successor_id": successor.pk,
            "reason": "Moving",
            "effective_date": "2024-01-01",
        },
    )
    assert too_early.status_code == 422 and too_early.json()["detail"][0]["field"] == "effective_date"
    assert not Replacement.objects.exists()


def test_team_list_query_count_is_flat(api, manager, engagement_a, person, django_assert_max_num_queries):
    for i in range(12):
        do_add_to_team(
            engagement_a,
            acting_user=manager,
            member=person(engagement_a.vendor, full_name=f"P{i}", contract=False),
            role="Dev",
            start_date=D(2024, 1, 1),
        )
    client = api(manager)
    with django_assert_max_num_queries(6):
        body = client.get(f"/engagements/{engagement_a.pk}/team", limit=50).json()
    assert body["count"] == 12 and all(item["person_name"].startswith("P") for item in body["items"])


def test_a_successor_already_on_the_team_or_gone_is_refused(api, vendor_a_user, manager, engagement_a, person):
    _lead, _successor, place = _key_team(engagement_a, manager, person)
    colleague = person(engagement_a.vendor, full_name="Colleague")
    do_add_to_team(engagement_a, acting_user=manager, member=colleague, role="Dev", start_date=D(2024, 1, 1))
    gone = person(engagement_a.vendor, full_name="Gone", left_date=D(2024, 8, 1))
    url = f"/engagements/{engagement_a.pk}/replacements"
    for member in (colleague, gone):
        response = api(vendor_a_user).post(
            url,
            {
                "outgoing_id": place.pk,
                "successor_id": member.pk,
                "reason": "Moving",
                "effective_date": "2024-09-01",
            },
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "successor_id"
    assert not Replacement.objects.exists()
