"""The dashboard and the `?issue=` filters ask every engagement check unworded (`detail=False`), for all the
active engagements at once through the query that selected them (`registry.Selection`). Pinned here: on a
portfolio at the edges of every check, the unworded answer names the same kinds for the same engagements as
the worded one — per check, per viewer, for the whole portfolio and for each engagement alone — and the
dashboard costs the same queries for few and for many active engagements."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from outsourcing.core import registry
from outsourcing.core.access import SYSTEM
from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.models import Qualification
from outsourcing.teams.identity import valid_resident_id
from outsourcing.vendors.models import Vendor

from .portfolio import (
    FORMS,
    approved_vendor,
    assess,
    certify,
    eligible_person,
    place,
    put_on_probation,
    ready_engagement,
    require,
    today,
    waive,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
SHARED_ID = valid_resident_id("11010519900307123")


@pytest.fixture
def varied(db: Any) -> dict[str, Any]:
    """Active engagements (and a few not active) each breaking one or several checks, or none."""
    good = approved_vendor("Good")
    twin = approved_vendor("Twin")
    probation = approved_vendor("Probation")
    put_on_probation(probation)
    rejected = approved_vendor("Rejected", assessed="reject")
    unassessed = approved_vendor("Unassessed", assessed=None)
    suspended = approved_vendor("Suspended")
    Vendor.objects.filter(pk=suspended.pk).update(status="suspended")
    made: dict[str, Any] = {"good": good, "twin": twin}
    for form in FORMS:
        made[f"ok_{form}"] = ready_engagement(form, good, f"OK {form}", status="active")
        made[f"suspended_{form}"] = ready_engagement(form, suspended, f"Suspended {form}", status="active")
    made["probation"] = ready_engagement("service", probation, "Probation", status="active")
    made["rejected"] = ready_engagement("contracting_out", rejected, "Rejected", status="active")
    made["unassessed"] = ready_engagement("benefit_based", unassessed, "Unassessed", status="active")
    made["selection_blocked"] = ready_engagement("service", unassessed, "Selection blocked")
    made["selection_ready"] = ready_engagement("service", good, "Selection ready")

    # qualifications: missing, met at too low a level, expiring in the term (with and without renewal)
    made["missing"] = ready_engagement("service", good, "Missing", status="active")
    require(made["missing"], "iso27001")
    made["expiring"] = ready_engagement("service", twin, "Expiring", status="active")
    require(made["expiring"], "iso20000")
    certify(twin, "iso20000", valid_until=made["expiring"].end_date - DAY)
    made["expiring_renewed"] = ready_engagement("service", probation, "Expiring renewed", status="active")
    require(made["expiring_renewed"], "iso20000")
    old = certify(probation, "iso20000", valid_until=made["expiring_renewed"].end_date - DAY)
    Qualification.objects.create(
        vendor=probation,
        type=old.type,
        number="renewed",
        issuer="CQC",
        valid_from=old.valid_until - 30 * DAY,
        valid_until=old.valid_until + 1000 * DAY,
        verification_status="pending",  # on file, not yet verified: a renewal on file all the same
        supersedes=old,
    )
    made["lasting"] = ready_engagement("service", good, "Lasting", status="active")
    require(made["lasting"], "iso20000")
    certify(good, "iso20000", valid_until=made["lasting"].end_date)  # ends with the term: no issue

    # the team: empty, ineligible key people (waived or not, several), a co-sourcing team without the owner
    made["empty"] = ready_engagement("service", good, "Empty", status="active")
    made["empty"].team.all().delete()
    made["ineligible"] = ready_engagement("service", good, "Ineligible", status="active")
    place(made["ineligible"], eligible_person(good, "Intern", employment_type="intern"), key_person=True)
    place(made["ineligible"], eligible_person(good, "New", hire_date=today() - 20 * DAY), key_person=True)
    made["waived"] = ready_engagement("service", good, "Waived", status="active")
    novice = eligible_person(good, "Novice", probation_end_date=None)
    place(made["waived"], novice, key_person=True)
    waive(made["waived"], novice)
    made["not_key"] = ready_engagement("service", good, "Not key", status="active")
    place(made["not_key"], eligible_person(good, "Helper", employment_type="intern"))
    made["no_owner"] = ready_engagement("co_sourcing", good, "No owner", status="active")
    made["no_owner"].team.filter(side="owner").delete()

    # bookings: one person on two rosters, one planned above full time, one at exactly full time
    made["doubled"] = ready_engagement("service", good, "Doubled", status="active")
    place(made["doubled"], eligible_person(good, "Borrowed", identity_number=SHARED_ID))
    eligible_person(twin, "Borrowed at Twin", identity_number=SHARED_ID)
    made["over"] = ready_engagement("service", good, "Over", status="active")
    made["over_2"] = ready_engagement("contracting_out", good, "Over 2", status="active")
    busy = eligible_person(good, "Busy")
    place(made["over"], busy, allocation_percent=60)
    place(made["over_2"], busy, allocation_percent=50)
    full = eligible_person(good, "Full")
    place(made["ok_service"], full, allocation_percent=50)
    place(made["ok_contracting_out"], full, allocation_percent=50)
    assess(good, "approve")
    return made


def codes(found: dict[int, list[registry.Blocker]]) -> dict[int, set[str]]:
    return {pk: {b.code for b in blockers} for pk, blockers in found.items() if blockers}


def test_the_portfolio_has_every_kind(varied):
    found = set().union(*codes(Engagement.objects.open_issues(today(), SYSTEM)).values())
    assert found >= {
        "vendor_not_approved",
        "vendor_standing",
        "assessment_missing",
        "assessment_rejected",
        "qualification_missing",
        "qualification_expires_in_term",
        "team_empty",
        "team_not_eligible",
        "no_owner_places",
        "double_booked",
        "over_allocated",
    }


@pytest.mark.parametrize("checks", ["activation_checks", "engagement_issues"])
def test_each_check_unworded_decides_as_worded(varied, checks):
    everyone = Engagement.objects.order_by()
    for day in (today(), today() + 200 * DAY):
        for check in getattr(registry, checks):
            worded = check(list(everyone), day)
            for engagements in (list(everyone), registry.Selection(everyone)):
                unworded = check(engagements, day, detail=False)
                assert codes(unworded) == codes(worded), check.__name__
                assert all(b.message == "" for found in unworded.values() for b in found)
            assert codes(check(registry.Selection(everyone), day)) == codes(worded), check.__name__


def test_open_issue_codes_are_the_kinds_of_the_open_issues_for_every_viewer(varied, manager):
    from outsourcing.accounts.models import User

    good_user = User.objects.create_user("good_user", password=None, role="vendor", vendor=varied["good"])
    for viewer in (manager, SYSTEM, good_user):
        worded = codes(Engagement.objects.open_issues(today(), viewer))
        assert Engagement.objects.open_issue_codes(today(), viewer) == worded
        for engagement in Engagement.objects.all():
            alone = Engagement.objects.filter(pk=engagement.pk)
            assert alone.open_issue_codes(today(), viewer) == {
                pk: found for pk, found in worded.items() if pk == engagement.pk
            }
        for code in {c for found in worded.values() for c in found}:
            listed = set(Engagement.objects.with_open_issues(today(), viewer, code).values_list("pk", flat=True))
            assert listed == {pk for pk, found in worded.items() if code in found}, code
    assert "double_booked" not in set().union(*Engagement.objects.open_issue_codes(today(), good_user).values())


def test_blocked_from_activation_is_the_selection_with_a_worded_blocker(varied):
    waiting = Engagement.objects.filter(status="selection")
    worded = {pk for pk, found in waiting.activation_blockers(today()).items() if found}
    assert set(Engagement.objects.blocked_from_activation(today()).values_list("pk", flat=True)) == worded
    assert worded == {varied["selection_blocked"].pk}


def busy_portfolio(n: int) -> None:
    """`n` active engagements of every form in turn, each with a requirement nobody meets, an ineligible key
    person and a person on two vendors' rosters."""
    vendor = approved_vendor(f"V{n}")
    twin = approved_vendor(f"Twin{n}")
    for i in range(n):
        engagement = ready_engagement(FORMS[i % len(FORMS)], vendor, f"E{i}-{n}", status="active")
        require(engagement, "iso27001")
        if engagement.vendor_id:
            place(engagement, eligible_person(vendor, f"Intern {i}-{n}", employment_type="intern"), key_person=True)
            shared = valid_resident_id(f"1101051990030{7100 + i + 10 * n:04d}"[:17])
            place(engagement, eligible_person(vendor, f"Borrowed {i}-{n}", identity_number=shared))
            eligible_person(twin, f"Twin {i}-{n}", identity_number=shared)


def test_the_dashboard_costs_the_same_queries_for_few_and_many_active_engagements(
    web, manager, django_assert_max_num_queries
):
    browser = web(manager)
    busy_portfolio(len(FORMS))  # every form once: each form's records are one query (SPEC "Activation gate")
    browser.get("/")  # the session and the caches settle
    with django_assert_max_num_queries(200) as few:
        assert browser.get("/").status_code == 200
    busy_portfolio(3 * len(FORMS))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = browser.get("/").content.decode()
    assert "?issue=double_booked" in page and "?issue=team_not_eligible" in page


@pytest.mark.parametrize("worded", [True, False])
def test_open_issues_cost_the_same_queries_for_few_and_many_engagements(
    db, manager, django_assert_max_num_queries, worded
):
    """Also a check that read an engagement field it did not register (`reads=`) would cost a query per
    engagement here: the portfolio is loaded with the registered fields alone."""
    ask = Engagement.objects.open_issues if worded else Engagement.objects.open_issue_codes
    busy_portfolio(len(FORMS))
    with django_assert_max_num_queries(100) as few:
        small = ask(today(), manager)
    busy_portfolio(3 * len(FORMS))
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = ask(today(), manager)
    assert len(small) == len(FORMS) and len(large) == 4 * len(FORMS)


@pytest.mark.parametrize("detail", [True, False])
def test_bookings_asked_of_the_whole_portfolio_are_those_of_the_places_people(varied, monkeypatch, detail):
    from outsourcing.teams import contributions

    everyone = registry.Selection(Engagement.objects.order_by())
    monkeypatch.setattr(contributions, "WHOLE_PORTFOLIO", 10**9)
    by_places = contributions.booking_issues(everyone, today(), detail=detail)
    monkeypatch.setattr(contributions, "WHOLE_PORTFOLIO", 0)
    assert contributions.booking_issues(everyone, today(), detail=detail) == by_places
    assert {"double_booked", "over_allocated"} <= set().union(*codes(by_places).values())
