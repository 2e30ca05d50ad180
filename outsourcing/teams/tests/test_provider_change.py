"""An engagement's provider cannot change under its team; a transfer ends every place (audited), and the new
vendor's users never see the previous vendor's staff."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry

from outsourcing.engagements.actions import do_transfer_engagement, do_update_engagement
from outsourcing.teams.actions import do_add_to_team
from outsourcing.teams.models import TeamAssignment, Waiver

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def staffed(engagement_a: Any, vendor_a: Any, person: Any, manager: Any) -> Any:
    """Engagement A with two of vendor A's people: one on the team today, one who left in 2024."""
    secret = person(vendor_a, full_name="Secret Staffer", employee_number="A-SECRET-1")
    former = person(vendor_a, full_name="Former Staffer", employee_number="A-FORMER-2")
    do_add_to_team(engagement_a, acting_user=manager, member=secret, role="dev", start_date=D(2024, 1, 1))
    place = do_add_to_team(engagement_a, acting_user=manager, member=former, role="dev", start_date=D(2024, 1, 1))
    TeamAssignment.objects.filter(pk=place.pk).update(end_date=D(2024, 6, 30), leave_reason="resigned")
    Waiver.objects.create(
        engagement=engagement_a, member=secret, justification="Needed for the migration", valid_until=D(2999, 1, 1)
    )
    return engagement_a


def test_the_api_refuses_a_vendor_change_while_people_are_on_the_team(api, manager, staffed, vendor_b) -> None:  # type: ignore[no-untyped-def]
    response = api(manager).patch(f"/engagements/{staffed.pk}", {"vendor_id": vendor_b.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "vendor_id"
    assert "1 people" in response.json()["detail"][0]["msg"]
    staffed.refresh_from_db()
    assert staffed.vendor_id != vendor_b.pk


def test_the_form_names_the_vendor_field(web, manager, staffed, vendor_b) -> None:  # type: ignore[no-untyped-def]
    page = web(manager).get(f"/engagements/{staffed.pk}/edit")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["vendor"] = vendor_b.pk
    response = web(manager).post(f"/engagements/{staffed.pk}/edit", data)
    assert response.status_code == 200
    assert "vendor" in response.context["form"].errors
    staffed.refresh_from_db()
    assert staffed.vendor_id != vendor_b.pk


def test_other_changes_and_empty_teams_are_not_held_up(manager, engagement_a, vendor_b, staffed) -> None:  # type: ignore[no-untyped-def]
    do_update_engagement(staffed, acting_user=manager, changes={"title": "Renamed"})
    TeamAssignment.objects.filter(engagement=staffed).update(end_date=D(2024, 12, 31), leave_reason="completed")
    do_update_engagement(staffed, acting_user=manager, changes={"vendor_id": vendor_b.pk})  # nobody left on it
    staffed.refresh_from_db()
    assert staffed.vendor_id == vendor_b.pk


def test_a_transfer_ends_every_place_and_is_audited(api, manager, staffed, vendor_b) -> None:  # type: ignore[no-untyped-def]
    response = api(manager).post(f"/engagements/{staffed.pk}/transfer", {"vendor_id": vendor_b.pk, "on": "2025-03-31"})
    assert response.status_code == 200
    assert response.json()["vendor_id"] == vendor_b.pk
    places = TeamAssignment.objects.filter(engagement=staffed)
    assert sorted(str(p.end_date) for p in places) == ["2024-06-30", "2025-03-31"]
    assert not Waiver.objects.filter(engagement=staffed, revoked_at__isnull=True).exists()
    changes = LogEntry.objects.filter(actor=manager)
    assert changes.filter(object_pk=str(staffed.pk), changes__icontains="vendor").exists()
    assert changes.filter(content_type__model="teamassignment", changes__icontains="end_date").exists()


def test_the_auditor_and_vendors_cannot_transfer(api, auditor, vendor_a_user, staffed, vendor_b) -> None:  # type: ignore[no-untyped-def]
    assert api(auditor).post(f"/engagements/{staffed.pk}/transfer", {"vendor_id": vendor_b.pk}).status_code == 403
    assert api(vendor_a_user).post(f"/engagements/{staffed.pk}/transfer", {"vendor_id": vendor_b.pk}).status_code == 403


def test_the_new_vendors_users_do_not_see_the_previous_vendors_staff(  # type: ignore[no-untyped-def]
    api, web, manager, staffed, vendor_b, vendor_b_user
) -> None:
    do_transfer_engagement(staffed, vendor_id=vendor_b.pk, acting_user=manager)
    client = api(vendor_b_user)
    seen = ""
    for path in (
        f"/engagements/{staffed.pk}/team",
        f"/engagements/{staffed.pk}/waivers",
        f"/engagements/{staffed.pk}/replacements",
        f"/engagements/{staffed.pk}/eligibility?as_of=2024-03-01",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        seen += response.content.decode()
    page = web(vendor_b_user).get(f"/teams/engagements/{staffed.pk}/team?as_of=2024-03-01")
    assert page.status_code == 200
    seen += page.content.decode()
    owner_page = web(manager).get(f"/teams/engagements/{staffed.pk}/team?as_of=2024-03-01").content.decode()
    assert "Secret Staffer" in owner_page
    for secret in ("Secret Staffer", "A-SECRET-1", "Former Staffer", "A-FORMER-2"):
        assert secret not in seen
    # The owner still sees the engagement's whole history.
    assert "Secret Staffer" in api(manager).get(f"/engagements/{staffed.pk}/team").content.decode()


def test_the_transfer_page_hands_the_engagement_over(web, manager, auditor, staffed, vendor_b) -> None:  # type: ignore[no-untyped-def]
    edit = web(manager).get(f"/engagements/{staffed.pk}/edit").content.decode()
    assert f"/engagements/{staffed.pk}/transfer" in edit
    assert web(auditor).post(f"/engagements/{staffed.pk}/transfer", {"vendor": vendor_b.pk}).status_code == 403
    response = web(manager).post(f"/engagements/{staffed.pk}/transfer", {"vendor": vendor_b.pk, "on": "2025-03-31"})
    assert response.status_code == 302
    staffed.refresh_from_db()
    assert staffed.vendor_id == vendor_b.pk
    assert not TeamAssignment.objects.filter(engagement=staffed, end_date__isnull=True).exists()
    again = web(manager).post(f"/engagements/{staffed.pk}/transfer", {"vendor": vendor_b.pk})
    assert "already with this vendor" in again.content.decode()
