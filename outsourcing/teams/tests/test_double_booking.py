"""Double-booked people: one identity number at two vendors at once, and allocations above full time."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from outsourcing.core import registry
from outsourcing.engagements.models import Engagement
from outsourcing.teams.double_booking import double_booked, over_allocated, team_bookings
from outsourcing.teams.identity import keyed_hash, normalize, valid_resident_id
from outsourcing.teams.models import TeamAssignment, TeamMember

D = datetime.date
DAY = D(2026, 6, 30)
ID = valid_resident_id("11010519900307123")  # a made-up resident identity number with its check character


@pytest.fixture
def active(vendor_a: Any) -> Any:
    def make(code: str, vendor: Any = vendor_a, status: str = "active") -> Engagement:
        return Engagement.objects.create(
            code=code, title=code, form="service", vendor=vendor, start_date=D(2026, 1, 1), status=status
        )

    return make


def place(engagement: Any, member: Any, allocation: int = 100, **fields: Any) -> TeamAssignment:
    return TeamAssignment.objects.create(
        engagement=engagement,
        member=member,
        role="Engineer",
        start_date=fields.pop("start_date", D(2026, 1, 1)),
        allocation_percent=allocation,
        **fields,
    )


# --- the identity number ----------------------------------------------------------------------------------------


def test_the_number_is_normalised_before_hashing():
    assert normalize(f" {ID[:6]} {ID[6:14]}-{ID[14:].lower()} ") == ID
    assert normalize("ｅ１２３４５６７８") == "E12345678"  # full-width passport number
    assert keyed_hash(normalize(ID.lower())) == keyed_hash(ID)


@pytest.mark.parametrize("bad", ["1234", "ＡＢ", "E1234567!", ID[:17] + ("0" if ID[17] != "0" else "1")])
def test_bad_numbers_are_refused(bad):
    with pytest.raises(ValueError):
        normalize(bad)


def test_only_a_keyed_hash_and_the_last_four_are_kept(api, vendor_a_user, vendor_a):
    response = api(vendor_a_user).post(
        f"/vendors/{vendor_a.pk}/members",
        {"full_name": "Li Lei", "employment_type": "regular", "hire_date": "2024-01-01", "identity_number": ID},
    )
    assert response.status_code == 201
    assert response.json()["identity_last4"] == ID[-4:]
    assert "identity_number" not in response.json()
    row = TeamMember.objects.filter(pk=response.json()["id"]).values().get()
    assert ID not in str(row)  # the number itself is nowhere in the record
    assert row["identity_hash"] == keyed_hash(ID) and len(row["identity_hash"]) == 64


def test_a_wrong_check_character_is_named(api, vendor_a_user, vendor_a):
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    response = api(vendor_a_user).post(
        f"/vendors/{vendor_a.pk}/members",
        {"full_name": "Li Lei", "employment_type": "regular", "hire_date": "2024-01-01", "identity_number": wrong},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "identity_number"
    assert not TeamMember.objects.exists()


def test_patching_without_the_number_keeps_it_and_empty_removes_it(api, vendor_a_user, person, vendor_a):
    member = person(vendor_a, identity_number=ID)
    api(vendor_a_user).patch(f"/members/{member.pk}", {"title": "Lead"})
    member.refresh_from_db()
    assert member.identity_last4 == ID[-4:]
    api(vendor_a_user).patch(f"/members/{member.pk}", {"identity_number": ""})
    member.refresh_from_db()
    assert (member.identity_hash, member.identity_last4) == ("", "")


# --- the same person at two vendors -----------------------------------------------------------------------------


def test_one_number_at_two_vendors_on_the_day_is_double_booked(person, vendor_a, vendor_b):
    at_a = person(vendor_a, full_name="Li Lei", identity_number=ID)
    at_b = person(vendor_b, full_name="李雷", identity_number=ID.lower())
    assert set(double_booked(DAY)) == {at_a, at_b}


def test_no_match_once_one_of_them_has_left(person, vendor_a, vendor_b):
    person(vendor_a, identity_number=ID)
    person(vendor_b, identity_number=ID, hire_date=D(2020, 1, 1), left_date=DAY)  # left on D: not employed on D
    assert not double_booked(DAY).exists()
    assert double_booked(DAY - datetime.timedelta(days=1)).count() == 2


def test_two_records_at_one_vendor_are_not_double_booking(person, vendor_a):
    person(vendor_a, identity_number=ID, employee_number="1")
    person(vendor_a, identity_number=ID, employee_number="2")
    assert not double_booked(DAY).exists()


def test_only_the_owner_learns_of_the_match(api, manager, vendor_a_user, person, vendor_a, vendor_b, active):
    engagement = active("OPS-A")
    at_a = person(vendor_a, identity_number=ID)
    person(vendor_b, identity_number=ID)
    place(engagement, at_a)
    owner = api(manager).get(f"/engagements/{engagement.pk}/double-bookings", as_of=DAY.isoformat()).json()
    assert owner["members"] == [
        {"member_id": at_a.pk, "codes": ["double_booked"], "allocation_total": 100, "other_vendors": [vendor_b.name]}
    ]
    vendor = api(vendor_a_user).get(f"/engagements/{engagement.pk}/double-bookings", as_of=DAY.isoformat()).json()
    assert vendor["members"] == []  # A's user never learns that the number matches someone at another vendor


# --- allocations ------------------------------------------------------------------------------------------------


def test_allocations_at_exactly_full_time_are_fine_and_just_above_are_not(person, vendor_a, active):
    member = person(vendor_a)
    place(active("E1"), member, 60)
    second = place(active("E2"), member, 40)
    assert not over_allocated(DAY).exists()
    second.allocation_percent = 41
    second.save()
    assert list(over_allocated(DAY)) == [member]


def test_only_places_on_active_engagements_on_the_day_count(person, vendor_a, active):
    member = person(vendor_a)
    place(active("E1"), member, 80)
    place(active("E2", status="draft"), member, 80)  # not active
    place(active("E3"), member, 80, end_date=DAY - datetime.timedelta(days=1))  # off the team by D
    place(active("E4"), member, 80, start_date=DAY + datetime.timedelta(days=1))  # not yet on it
    assert not over_allocated(DAY).exists()


def test_vendor_users_see_their_own_people_over_allocated(api, vendor_a_user, person, vendor_a, active):
    member = person(vendor_a)
    first = active("E1")
    place(first, member, 70)
    place(active("E2"), member, 70)
    body = api(vendor_a_user).get(f"/engagements/{first.pk}/double-bookings", as_of=DAY.isoformat()).json()
    assert body["members"] == [
        {"member_id": member.pk, "codes": ["over_allocated"], "allocation_total": 140, "other_vendors": []}
    ]


@pytest.mark.parametrize("allocation", [0, 101])
def test_allocation_is_bounded(api, manager, person, vendor_a, active, allocation):
    engagement = active("E1")
    member = person(vendor_a)
    response = api(manager).post(
        f"/engagements/{engagement.pk}/team",
        {"member_id": member.pk, "role": "Dev", "start_date": "2026-02-01", "allocation_percent": allocation},
    )
    assert response.status_code == 422
    assert "allocation_percent" in response.content.decode()


def test_bookings_take_a_fixed_number_of_queries(
    person, vendor_a, vendor_b, active, manager, django_assert_max_num_queries
):
    engagement = active("E1")
    for i in range(12):
        member = person(vendor_a, full_name=f"P{i}", identity_number=valid_resident_id(f"110105199003071{i:02d}"))
        person(vendor_b, full_name=f"Q{i}", identity_number=valid_resident_id(f"110105199003071{i:02d}"))
        place(engagement, member, 60)
        place(active(f"X{i}"), member, 60)
    with django_assert_max_num_queries(4):  # the team, the allocations, the matches, their vendors
        found = team_bookings(engagement, DAY, manager)
    assert len(found) == 12 and all(b.codes == ["double_booked", "over_allocated"] for b in found.values())


# --- pages and the dashboard ------------------------------------------------------------------------------------


def test_the_team_page_panel_and_the_dashboard(web, manager, vendor_a_user, person, vendor_a, vendor_b, active):
    engagement = active("OPS-A")
    at_a = person(vendor_a, full_name="Li Lei", identity_number=ID)
    person(vendor_b, identity_number=ID)
    place(engagement, at_a, start_date=D(2020, 1, 1))
    panel = web(manager).get(f"/teams/engagements/{engagement.pk}/team/double-bookings").content.decode()
    assert "Li Lei" in panel and "Employed by another vendor too" in panel and vendor_b.name in panel
    assert f"…{ID[-4:]}" in panel
    theirs = web(vendor_a_user).get(f"/teams/engagements/{engagement.pk}/team/double-bookings").content.decode()
    assert "Employed by another vendor too" not in theirs and vendor_b.name not in theirs
    dashboard = web(manager).get("/").content.decode()
    assert "Double-booked people" in dashboard
    page = web(manager).get("/teams/double-bookings").content.decode()
    assert "Li Lei" in page
    assert "Li Lei" not in web(vendor_a_user).get("/teams/double-bookings").content.decode()


# --- open issues of the engagement (owner's staff only) ---------------------------------------------------------

BOOKING_CODES = {"double_booked", "over_allocated"}


def _codes(client: Any, engagement: Any, day: datetime.date | None = None) -> list[str]:
    params = {"as_of": day.isoformat()} if day else {}
    return [b["code"] for b in client.get(f"/engagements/{engagement.pk}/open-issues", **params).json()]


def test_double_booking_is_an_open_issue_of_each_active_engagement_on_the_day(
    api, manager, person, vendor_a, vendor_b, active
):
    mine, theirs = active("OPS-A"), active("OPS-B", vendor_b)
    at_a = person(vendor_a, full_name="Li Lei", identity_number=ID)
    at_b = person(vendor_b, full_name="李雷", identity_number=ID)
    place(mine, at_a)
    place(theirs, at_b, 60)
    place(active("OPS-B2", vendor_b), at_b, 41)
    rest = api(manager)
    assert [c for c in _codes(rest, mine, DAY) if c in BOOKING_CODES] == ["double_booked"]
    assert [c for c in _codes(rest, theirs, DAY) if c in BOOKING_CODES] == ["double_booked", "over_allocated"]
    issues = rest.get(f"/engagements/{theirs.pk}/open-issues", as_of=DAY.isoformat()).json()
    doubled = next(b["message"] for b in issues if b["code"] == "double_booked")
    assert "李雷" in doubled and vendor_a.name in doubled and vendor_b.name not in doubled
    over = next(b["message"] for b in issues if b["code"] == "over_allocated")
    assert "101 %" in over
    # a draft engagement has no open issues; before the places started there is nothing to say
    draft = active("OPS-D", status="draft")
    place(draft, at_a)
    assert not set(_codes(rest, draft, DAY)) & BOOKING_CODES
    assert not set(_codes(rest, mine, D(2025, 12, 31))) & BOOKING_CODES


def test_vendor_users_never_see_the_booking_issues(
    api, web, manager, vendor_a_user, vendor_b_user, person, vendor_a, vendor_b, active
):
    """Vendor A's and B's users: no open issue, no filter, no card, no badge tells them of the match (or of
    the over-allocation, which the owner weighs) — the owner sees both engagements in each place."""
    mine, theirs = active("OPS-A"), active("OPS-B", vendor_b)
    at_a = person(vendor_a, full_name="Li Lei", identity_number=ID)
    at_b = person(vendor_b, full_name="李雷", identity_number=ID)
    place(mine, at_a)
    place(theirs, at_b, 60)
    second = active("OPS-B2", vendor_b)
    place(second, at_b, 60)
    owner = api(manager)
    doubled = {e["id"] for e in owner.get("/engagements", issue="double_booked").json()["items"]}
    assert doubled == {mine.pk, theirs.pk, second.pk}
    owner_page = web(manager).get(f"/engagements/{mine.pk}/").content.decode()
    assert 'data-issue="double_booked"' in owner_page
    owner_cards = {c.url for fn in registry.dashboard_cards for c in fn(manager)}
    assert "/engagements/?issue=double_booked" in owner_cards
    assert 'value="double_booked"' in web(manager).get("/engagements/").content.decode()
    for user, own in ((vendor_a_user, mine), (vendor_b_user, theirs)):
        rest, browser = api(user), web(user)
        assert not set(_codes(rest, own)) & BOOKING_CODES
        assert not set(_codes(rest, own, DAY)) & BOOKING_CODES
        unknown = {e["id"] for e in rest.get("/engagements", issue="no_such_issue").json()["items"]}
        for code in BOOKING_CODES:  # a kind the vendor cannot see answers like a kind that does not exist
            assert {e["id"] for e in rest.get("/engagements", issue=code).json()["items"]} == unknown
        page = browser.get(f"/engagements/{own.pk}/").content.decode()
        assert "double_booked" not in page and "over_allocated" not in page
        assert "another vendor" not in page and (vendor_a.name if user == vendor_b_user else vendor_b.name) not in page
        assert 'value="double_booked"' not in browser.get("/engagements/").content.decode()
        cards = [c for fn in registry.dashboard_cards for c in fn(user)]
        assert not [c for c in cards if "double_booked" in c.url or "over_allocated" in c.url]
        assert "another vendor" not in browser.get("/").content.decode()


def test_booking_issues_take_a_fixed_number_of_queries(
    person, vendor_a, vendor_b, active, django_assert_max_num_queries
):
    from outsourcing.core.access import SYSTEM

    engagements = [active(f"E{i}") for i in range(6)]
    for i in range(12):
        member = person(vendor_a, full_name=f"P{i}", identity_number=valid_resident_id(f"110105199003071{i:02d}"))
        person(vendor_b, full_name=f"Q{i}", identity_number=valid_resident_id(f"110105199003071{i:02d}"))
        place(engagements[i % 6], member, 60)
        place(engagements[(i + 1) % 6], member, 60)
    from outsourcing.teams.contributions import booking_issues

    with django_assert_max_num_queries(4):  # the doubled, the over-allocated, the other vendors, the totals
        found = booking_issues(engagements, DAY)
    assert all(sorted({b.code for b in found[e.pk]}) == sorted(BOOKING_CODES) for e in engagements)
    assert sum(len(v) for v in found.values()) == 12 * 2 * 2
    assert Engagement.objects.filter(pk=engagements[0].pk).open_issues(DAY, SYSTEM)[engagements[0].pk]
