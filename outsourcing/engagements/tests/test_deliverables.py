"""Deliverables of contracted-out activities: due dates, lateness and acceptance with reasons."""

import datetime

import pytest

from outsourcing.engagements.models import Deliverable

from .conftest import make_engagement

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracted(vendor_a):
    return make_engagement(vendor_a, form="contracting_out")


CASES = [
    # (delivered on, acceptance, day, late?) for a deliverable due on 2026-05-10
    (None, "pending", datetime.date(2026, 5, 10), False),  # due today: not late yet
    (None, "pending", datetime.date(2026, 5, 11), True),
    (None, "rejected", datetime.date(2026, 5, 11), True),  # a rejected result is still owed
    (None, "accepted", datetime.date(2026, 5, 11), False),
    (datetime.date(2026, 5, 10), "pending", datetime.date(2026, 6, 1), False),
    (datetime.date(2026, 5, 11), "pending", datetime.date(2026, 6, 1), False),  # delivered, awaiting decision
    (datetime.date(2026, 5, 11), "rejected", datetime.date(2026, 6, 1), True),  # rejected: still owed
    (datetime.date(2026, 5, 11), "accepted", datetime.date(2026, 6, 1), False),
    (datetime.date(2026, 5, 9), "rejected", datetime.date(2026, 5, 10), False),  # rejected, not yet due
]


@pytest.mark.parametrize(("delivered_on", "acceptance", "day", "late"), CASES)
def test_lateness_at_the_edges_of_the_due_date(contracted, delivered_on, acceptance, day, late):
    """The page's badge (`is_late`) and the set-based rule (`late`) of lists and cards give the same answer."""
    deliverable = Deliverable.objects.create(
        engagement=contracted,
        title="x",
        due_date=datetime.date(2026, 5, 10),
        delivered_on=delivered_on,
        acceptance=acceptance,
        acceptance_reason="reasons",
    )
    assert deliverable.is_late(day) is late
    assert Deliverable.objects.filter(pk=deliverable.pk).late(day).exists() is late


def test_open_late_deliverables_are_found_in_one_query(contracted, django_assert_num_queries):
    today = datetime.date.today()
    Deliverable.objects.create(engagement=contracted, title="late", due_date=today - datetime.timedelta(days=1))
    Deliverable.objects.create(engagement=contracted, title="due today", due_date=today)
    Deliverable.objects.create(
        engagement=contracted,
        title="delivered",
        due_date=today - datetime.timedelta(days=3),
        delivered_on=today,
    )
    with django_assert_num_queries(1):
        assert [d.title for d in Deliverable.objects.late(today)] == ["late"]


def test_manager_adds_accepts_and_rejects_with_reasons(api, manager, contracted):
    client = api(manager)
    created = client.post(
        f"/engagements/{contracted.pk}/deliverables", {"title": "Design document", "due_date": "2026-03-31"}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    refused = client.post(f"/deliverables/{pk}/acceptance", {"decision": "rejected", "reason": ""})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "acceptance_reason"
    assert Deliverable.objects.get(pk=pk).acceptance == "pending"
    rejected = client.post(
        f"/deliverables/{pk}/acceptance",
        {"decision": "rejected", "reason": "Security chapter missing", "delivered_on": "2026-04-02"},
    ).json()
    assert rejected["acceptance"] == "rejected" and rejected["late"] is True
    accepted = client.post(f"/deliverables/{pk}/acceptance", {"decision": "accepted"}).json()
    assert accepted["acceptance"] == "accepted"


def test_deliverables_are_refused_on_a_service_engagement(api, manager, service):
    response = api(manager).post(f"/engagements/{service.pk}/deliverables", {"title": "x", "due_date": "2026-03-31"})
    assert response.status_code == 422
    assert not Deliverable.objects.exists()


def test_vendor_user_reads_its_deliverables_but_cannot_accept(api, vendor_a_user, vendor_b_user, contracted):
    deliverable = Deliverable.objects.create(engagement=contracted, title="Code", due_date=datetime.date(2026, 3, 1))
    assert api(vendor_a_user).get(f"/deliverables/{deliverable.pk}").status_code == 200
    assert (
        api(vendor_a_user).post(f"/deliverables/{deliverable.pk}/acceptance", {"decision": "accepted"}).status_code
        == 403
    )
    assert api(vendor_b_user).get(f"/deliverables/{deliverable.pk}").status_code == 404
    assert api(vendor_b_user).get(f"/engagements/{contracted.pk}/deliverables").status_code == 404


def test_the_acceptance_form_preselects_no_decision(web, manager, vendor_a):  # type: ignore[no-untyped-def]
    """Accepting a deliverable is a choice: an unread form submits no decision and is refused by the field."""
    from outsourcing.engagements.forms import DecisionForm

    form = DecisionForm({"delivered_on": "2026-03-01"})
    assert not form.is_valid() and "decision" in form.errors
    assert form.fields["decision"].choices[0] == ("", "—")
