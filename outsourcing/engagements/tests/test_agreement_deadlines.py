"""SPEC "Agreement deadlines": the notice deadline, the decision window, notice as an audited act, and the one
set-based rule that the page badge, the list filter, the dashboard card, the API and the reminders all ask.

The worked example: a term of 2026-01-01 … 2026-12-31 with 90 days' notice has its notice deadline on
2026-10-02 (31 Dec − 90 days); with the default decision lead of 60 days the decision is due from 2026-08-03.
"""

import datetime
import itertools

import pytest
from auditlog.models import LogEntry

from outsourcing.core.access import SYSTEM
from outsourcing.engagements.actions import do_give_notice
from outsourcing.engagements.choices import AgreementState
from outsourcing.engagements.contributions import dashboard_cards
from outsourcing.engagements.models import Engagement, ServiceAgreement
from outsourcing.engagements.queries import filter_engagements

from .conftest import make_agreement, make_engagement

pytestmark = pytest.mark.django_db

D = datetime.date
NOTICE_BY = D(2026, 10, 2)


def agreement_of(**overrides):
    fields = {"start_date": D(2026, 1, 1), "end_date": D(2026, 12, 31), "notice_period_days": 90, "number": "X"}
    fields.update(overrides)
    agreement = ServiceAgreement(**fields)
    agreement.derive_deadlines()
    return agreement


def test_the_notice_deadline_is_the_end_minus_the_notice_period_and_the_decision_window_opens_l_days_before():
    agreement = agreement_of()
    assert agreement.notice_by == NOTICE_BY
    assert agreement.decision_from == D(2026, 8, 3)
    assert agreement_of(decision_lead_days=10).decision_from == D(2026, 9, 22)


@pytest.mark.parametrize(
    ("day", "without_renewal", "with_renewal"),
    [
        (D(2025, 12, 31), "upcoming", "upcoming"),
        (D(2026, 1, 1), "active", "active"),
        (D(2026, 8, 2), "active", "active"),  # the day before the decision window
        (D(2026, 8, 3), "decision_due", "decision_due"),  # notice_by − 60
        (D(2026, 10, 2), "decision_due", "decision_due"),  # the notice deadline itself
        (D(2026, 10, 3), "expiring", "renewing"),  # the day after the deadline
        (D(2026, 12, 31), "expiring", "renewing"),  # the last day of the term
        (D(2027, 1, 1), "expired", "renewing"),  # renewing until the scheduler has created the next term
    ],
)
def test_the_states_at_the_edge_days(day, without_renewal, with_renewal):
    assert agreement_of().state(day) == without_renewal
    assert agreement_of(auto_renewal=True).state(day) == with_renewal


def test_notice_given_on_the_deadline_ends_the_term_and_stops_renewal():
    agreement = agreement_of(auto_renewal=True, notice_given_on=NOTICE_BY)
    assert agreement.state(D(2026, 10, 1)) == "decision_due"  # not yet given on that day
    assert agreement.state(NOTICE_BY) == "ending"
    assert agreement.state(D(2026, 12, 31)) == "ending"
    assert agreement.state(D(2027, 1, 1)) == "expired"


def test_a_scheduled_termination_is_ending_until_its_date_then_terminated():
    agreement = agreement_of(terminated_on=D(2026, 6, 30), auto_renewal=True)
    assert agreement.state(D(2026, 6, 10)) == "ending"
    assert agreement.state(D(2026, 6, 29)) == "ending"
    assert agreement.state(D(2026, 6, 30)) == "terminated"


def _portfolio(vendor):
    """One agreement per combination of renewal, notice and termination, all on the worked example's term."""
    made = []
    combos = itertools.product([False, True], [None, D(2026, 9, 1), NOTICE_BY], [None, D(2026, 6, 30)])
    for n, (renews, notice, terminated) in enumerate(combos):
        engagement = make_engagement(vendor, title=f"E{n}")
        agreement = make_agreement(engagement, number=f"SA-{n}", auto_renewal=renews, terminated_on=terminated)
        if notice:
            ServiceAgreement.objects.filter(pk=agreement.pk).update(notice_given_on=notice, notice_reason="x")
        made.append(agreement.pk)
    return made


EDGE_DAYS = [
    D(2025, 12, 31),
    D(2026, 1, 1),
    D(2026, 6, 29),
    D(2026, 6, 30),
    D(2026, 8, 2),
    D(2026, 8, 3),
    D(2026, 9, 1),
    NOTICE_BY,
    D(2026, 10, 3),
    D(2026, 12, 31),
    D(2027, 1, 1),
]


def test_the_model_the_annotation_and_the_filter_agree_at_every_edge_day(vendor_a):
    pks = _portfolio(vendor_a)
    for day in EDGE_DAYS:
        annotated = dict(
            ServiceAgreement.objects.filter(pk__in=pks).with_state(day).values_list("pk", "deadline_state")
        )
        for agreement in ServiceAgreement.objects.filter(pk__in=pks):
            assert annotated[agreement.pk] == agreement.state(day), (day, agreement.pk)
        for state in AgreementState.values:
            filtered = set(
                ServiceAgreement.objects.filter(pk__in=pks).in_state(day, state).values_list("pk", flat=True)
            )
            assert filtered == {pk for pk, s in annotated.items() if s == state}, (day, state)


def test_every_state_occurs_in_the_portfolio(vendor_a):
    pks = _portfolio(vendor_a)
    seen = set()
    for day in EDGE_DAYS:
        seen |= set(
            ServiceAgreement.objects.filter(pk__in=pks).with_state(day).values_list("deadline_state", flat=True)
        )
    assert seen == set(AgreementState.values)


def test_page_badge_list_filter_dashboard_card_and_api_agree_on_a_scheduled_termination(
    vendor_a, manager, api, client, monkeypatch
):
    """Before: a termination 20 days ahead showed "notice window" on the page but not in the filter or card."""
    today = datetime.date.today()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    engagement = make_engagement(vendor_a, title="Scheduled termination")
    make_agreement(
        engagement,
        start_date=today - datetime.timedelta(days=300),
        end_date=today + datetime.timedelta(days=30),
        terminated_on=today + datetime.timedelta(days=20),
    )
    due = make_engagement(vendor_a, title="Decision due")
    make_agreement(
        due,
        number="SA-DUE",
        start_date=today - datetime.timedelta(days=300),
        end_date=today + datetime.timedelta(days=90),
    )
    engagements = Engagement.objects.all()
    assert set(filter_engagements(engagements, issue="notice")) == {due}
    assert set(filter_engagements(engagements, agreement="ending")) == {engagement}
    card = next(c for c in dashboard_cards(manager) if c.url.endswith("?issue=notice"))
    assert card.count == 1
    assert api(manager).get(f"/engagements/{engagement.pk}/agreement").json()["state"] == "ending"
    assert api(manager).get(f"/engagements/{due.pk}/agreement").json()["state"] == "decision_due"
    client.force_login(manager)
    page = client.get(f"/engagements/{engagement.pk}/").content.decode()
    assert "Ending on notice" in page
    assert "Termination scheduled for" in page


def test_the_api_gives_notice_by_and_the_state_on_as_of(manager, api, service, agreement):
    client = api(manager)
    body = client.get(f"/engagements/{service.pk}/agreement", as_of="2026-10-02").json()
    assert body["notice_by"] == "2026-10-02"
    assert body["state"] == "decision_due"
    assert body["decision_lead_days"] == 60
    assert body["renewal_months"] == 12
    assert client.get(f"/engagements/{service.pk}/agreement", as_of="2026-10-03").json()["state"] == "expiring"


def test_notice_after_the_deadline_is_refused_naming_given_on(manager, api, service, agreement):
    response = api(manager).post(
        f"/engagements/{service.pk}/agreement/notice", {"given_on": "2026-10-03", "reason": "Moving in-house"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "given_on"
    agreement.refresh_from_db()
    assert agreement.notice_given_on is None


def test_notice_on_the_deadline_is_recorded_with_who_and_why_and_audited(manager, api, service, agreement):
    response = api(manager).post(
        f"/engagements/{service.pk}/agreement/notice", {"given_on": "2026-10-02", "reason": "Moving in-house"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["notice_given_on"] == "2026-10-02"
    assert body["notice_given_by_id"] == manager.pk
    assert body["notice_reason"] == "Moving in-house"
    agreement.refresh_from_db()
    assert agreement.state(D(2026, 11, 1)) == "ending"
    entry = LogEntry.objects.get_for_object(agreement).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.actor == manager
    assert entry.changes_dict["notice_given_on"] == ["None", "2026-10-02"]


def test_notice_is_given_once_and_only_by_the_owner(manager, vendor_a_user, auditor, api, service, agreement):
    assert (
        api(auditor)
        .post(f"/engagements/{service.pk}/agreement/notice", {"given_on": "2026-09-01", "reason": "x"})
        .status_code
        == 403
    )
    assert (
        api(vendor_a_user)
        .post(f"/engagements/{service.pk}/agreement/notice", {"given_on": "2026-09-01", "reason": "x"})
        .status_code
        == 403
    )
    do_give_notice(agreement, given_on=D(2026, 9, 1), reason="x", acting_user=SYSTEM)
    again = api(manager).post(f"/engagements/{service.pk}/agreement/notice", {"given_on": "2026-09-02", "reason": "y"})
    assert again.status_code == 422
    assert again.json()["detail"][0]["field"] == "given_on"


@pytest.mark.parametrize("day", [D(2026, 3, 1), D(2026, 9, 1), D(2026, 11, 1), D(2027, 2, 1)])
def test_the_vendor_reads_what_the_agreement_means_to_it_not_the_owner_s_decision(day):
    """Active, decision due, expiring and expired: the owner is told to decide; the vendor that the owner does."""
    agreement = agreement_of()
    owner, vendor = agreement.advice(day), agreement.advice(day, for_vendor=True)
    assert owner != vendor
    assert "the owner" in vendor.lower()
    assert not any(word in vendor for word in ("Decide now", "decide on renewal", "agree a new term or close"))


def test_a_vendor_user_s_engagement_page_and_dashboard_speak_to_the_vendor(web, vendor_a, vendor_a_user):
    engagement = make_engagement(vendor_a)
    today = datetime.date.today()
    # Notice deadline in 30 days, inside the 60-day decision window: the owner's decision is due.
    make_agreement(
        engagement,
        start_date=today - datetime.timedelta(days=300),
        end_date=today + datetime.timedelta(days=60),
        notice_period_days=30,
    )
    page = web(vendor_a_user).get(f"/engagements/{engagement.pk}/").content.decode()
    assert "Decide now" not in page and "The owner decides by" in page
    cards = {c.title: c.description for c in dashboard_cards(vendor_a_user)}
    assert "Agreement decisions due" not in cards
    assert "Agreements awaiting the owner's renewal decision" in cards


def test_the_api_addresses_the_advice_to_its_reader(api, manager, vendor_a, vendor_a_user):
    engagement = make_engagement(vendor_a)
    today = datetime.date.today()
    make_agreement(
        engagement,
        start_date=today - datetime.timedelta(days=300),
        end_date=today + datetime.timedelta(days=60),
        notice_period_days=30,
    )
    path = f"/engagements/{engagement.pk}/agreement"
    assert api(manager).get(path).json()["advice"].startswith("Decide now")
    assert api(vendor_a_user).get(path).json()["advice"].startswith("The owner decides by")


def test_blockers_are_worded_for_the_side_that_reads_them(web, manager, vendor_a, vendor_a_user):
    """The owner is told to record the agreement; the vendor's user that the owner records it."""
    engagement = make_engagement(vendor_a)
    owner_page = web(manager).get(f"/engagements/{engagement.pk}/").content.decode()
    vendor_page = web(vendor_a_user).get(f"/engagements/{engagement.pk}/").content.decode()
    assert "record the agreement and attach the signed copy" in owner_page
    assert "the owner records it" in vendor_page and "record the agreement and attach" not in vendor_page
    # The code's label, never the code itself, in what people read.
    assert "<strong>No signed agreement</strong>" in vendor_page and ">no_signed_agreement<" not in vendor_page
