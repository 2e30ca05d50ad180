"""SPEC "Activation gate", to the letter: every blocker code, each checked independently on D, contributed by
the app that owns the data; listed by GET /engagements/{id}/activation-blockers?as_of=D and refused on the
transition to active (422 listing them) unless the owner overrides, audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from outsourcing.assessments.models import Assessment
from outsourcing.documents.models import Document
from outsourcing.engagements.models import BenefitTerms, Deliverable, Engagement, ServiceAgreement, SlaMetric
from outsourcing.teams.models import TeamAssignment

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


def codes(api: Any, user: Any, engagement: Engagement, as_of: datetime.date | None = None) -> list[str]:
    params = {"as_of": as_of.isoformat()} if as_of else {}
    response = api(user).get(f"/engagements/{engagement.pk}/activation-blockers", **params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert all(set(b) == {"code", "message"} and b["message"] for b in body)
    return [b["code"] for b in body]


@pytest.mark.parametrize("form", FORMS)
def test_a_ready_engagement_of_every_form_has_no_blocker_and_becomes_active(api, manager, form):
    engagement = ready_engagement(form, approved_vendor("V"))
    assert codes(api, manager, engagement) == []
    response = api(manager).post(f"/engagements/{engagement.pk}/transitions", {"to": "active"})
    assert response.status_code == 200, response.content
    assert response.json()["override_reason"] == ""


def _unsign(e: Engagement) -> None:
    Document.objects.filter(object_id=e.agreement.pk, kind="service_agreement").delete()


def _agreement_ended(e: Engagement) -> None:
    ServiceAgreement.objects.filter(engagement=e).update(end_date=today() - datetime.timedelta(days=1))


def _agreement_terminated(e: Engagement) -> None:
    ServiceAgreement.objects.filter(engagement=e).update(terminated_on=today())


def _no_agreement(e: Engagement) -> None:
    _unsign(e)
    ServiceAgreement.objects.filter(engagement=e).delete()


def _status(status: str) -> Callable[[Engagement], None]:
    def change(e: Engagement) -> None:
        assert e.vendor is not None
        e.vendor.status = status
        e.vendor.save()

    return change


def _probation(e: Engagement) -> None:
    put_on_probation(e.vendor)  # type: ignore[arg-type]


def _no_assessment(e: Engagement) -> None:
    Assessment.objects.filter(vendor=e.vendor).delete()


def _old_assessment(e: Engagement) -> None:
    Assessment.objects.filter(vendor=e.vendor).update(completed_at=timezone.now() - datetime.timedelta(days=400))


def _rejected(e: Engagement) -> None:
    assess(e.vendor, "reject", days_ago=0)  # type: ignore[arg-type]


def _missing_qualification(e: Engagement) -> None:
    require(e, "iso27001")


def _empty_team(e: Engagement) -> None:
    TeamAssignment.objects.filter(engagement=e).delete()


def _team_ended(e: Engagement) -> None:
    TeamAssignment.objects.filter(engagement=e).update(
        end_date=today() - datetime.timedelta(days=1), leave_reason="other"
    )


def _team_planned(e: Engagement) -> None:
    TeamAssignment.objects.filter(engagement=e).update(start_date=today() + datetime.timedelta(days=1))


def _key_person_without_contract(e: Engagement) -> None:
    key = TeamAssignment.objects.get(engagement=e, key_person=True).member
    Document.objects.filter(object_id=key.pk, kind="employment_contract").delete()  # type: ignore[union-attr]


# (what breaks, the code it gives) — each applied alone to an otherwise ready service engagement
BREAKS = [
    (_unsign, "no_signed_agreement"),
    (_agreement_ended, "no_signed_agreement"),
    (_agreement_terminated, "no_signed_agreement"),
    (_no_agreement, "no_signed_agreement"),
    (_status("prospective"), "vendor_not_approved"),
    (_status("suspended"), "vendor_not_approved"),
    (_probation, "vendor_standing"),
    (_no_assessment, "assessment_missing"),
    (_old_assessment, "assessment_missing"),  # a vendor without risk tier is re-examined every 12 months
    (_rejected, "assessment_rejected"),
    (_missing_qualification, "qualification_missing"),
    (_empty_team, "team_empty"),
    (_team_ended, "team_empty"),
    (_team_planned, "team_empty"),  # a place starting tomorrow is not on the team today
    (_key_person_without_contract, "team_not_eligible"),
]


@pytest.mark.parametrize(("breaks", "code"), BREAKS, ids=[f"{b.__name__}-{c}" for b, c in BREAKS])
def test_each_condition_gives_its_own_code_and_nothing_else(api, manager, breaks, code):
    engagement = ready_engagement("service", approved_vendor("V"))
    breaks(engagement)
    found = codes(api, manager, engagement)
    assert set(found) == {code}
    response = api(manager).post(f"/engagements/{engagement.pk}/transitions", {"to": "active"})
    assert response.status_code == 422
    assert any(code in d["msg"] for d in response.json()["detail"])
    assert Engagement.objects.get(pk=engagement.pk).status == "selection"


@pytest.mark.parametrize(
    ("form", "remove", "code"),
    [
        ("service", lambda e: SlaMetric.objects.filter(engagement=e).delete(), "no_sla_metrics"),
        ("benefit_based", lambda e: BenefitTerms.objects.filter(engagement=e).delete(), "no_benefit_terms"),
        ("contracting_out", lambda e: Deliverable.objects.filter(engagement=e).delete(), "no_deliverables"),
        (
            "co_sourcing",
            lambda e: TeamAssignment.objects.filter(engagement=e, side="owner").delete(),
            "no_owner_places",
        ),
    ],
)
def test_each_form_needs_its_own_records(api, manager, form, remove, code):
    engagement = ready_engagement(form, approved_vendor("V"))
    remove(engagement)
    assert codes(api, manager, engagement) == [code]


@pytest.mark.parametrize(
    ("form", "absent"),
    [
        ("service", {"no_benefit_terms", "no_deliverables", "no_owner_places"}),
        ("benefit_based", {"no_sla_metrics", "no_deliverables", "no_owner_places"}),
        ("contracting_out", {"no_sla_metrics", "no_benefit_terms", "no_owner_places"}),
        ("co_sourcing", {"no_sla_metrics", "no_benefit_terms", "no_deliverables"}),
        ("insourcing", {"no_sla_metrics", "no_benefit_terms", "no_deliverables", "no_owner_places", "team_empty"}),
    ],
)
def test_a_form_is_not_asked_for_another_forms_records(api, manager, form, absent):
    engagement = ready_engagement(form, approved_vendor("V"))
    SlaMetric.objects.filter(engagement=engagement).delete()
    BenefitTerms.objects.filter(engagement=engagement).delete()
    Deliverable.objects.filter(engagement=engagement).delete()
    TeamAssignment.objects.filter(engagement=engagement, side="owner").delete()
    if form == "insourcing":
        TeamAssignment.objects.filter(engagement=engagement).delete()  # insourcing needs no team
    assert not absent & set(codes(api, manager, engagement))


def test_the_codes_are_independent_and_all_listed(api, manager):
    engagement = ready_engagement("co_sourcing", approved_vendor("V", assessed=None))
    for breaks in (_unsign, _status("prospective"), _probation, _missing_qualification, _key_person_without_contract):
        breaks(engagement)
    TeamAssignment.objects.filter(engagement=engagement, side="owner").delete()
    assert codes(api, manager, engagement) == [
        "no_signed_agreement",
        "vendor_not_approved",
        "vendor_standing",
        "assessment_missing",
        "qualification_missing",
        "team_not_eligible",
        "no_owner_places",
    ]


def test_a_condition_met_clears_its_code(api, manager):
    vendor = approved_vendor("V")
    engagement = ready_engagement("service", vendor)
    _missing_qualification(engagement)
    assert codes(api, manager, engagement) == ["qualification_missing"]
    certify(vendor, "iso27001")
    assert codes(api, manager, engagement) == []
    _rejected(engagement)
    assert codes(api, manager, engagement) == ["assessment_rejected"]
    assess(vendor, "approve", days_ago=0)  # the latest current assessment decides
    Assessment.objects.filter(vendor=vendor, recommendation="approve").update(completed_at=timezone.now())
    assert codes(api, manager, engagement) == []
    put_on_probation(vendor, "75")  # a good standing blocks nothing
    assert codes(api, manager, engagement) == []


def test_an_assessment_made_for_another_engagement_counts(api, manager):
    vendor = approved_vendor("V", assessed=None)
    other = ready_engagement("service", vendor, "Other")
    assess(vendor, "approve", engagement=other)
    assert codes(api, manager, ready_engagement("service", vendor, "This one")) == []


def test_a_waiver_or_a_non_key_place_keeps_an_ineligible_person_from_blocking(api, manager):
    vendor = approved_vendor("V")
    engagement = ready_engagement("service", vendor)
    intern = eligible_person(vendor, "Intern", employment_type="intern")
    place(engagement, intern, key_person=False)
    assert codes(api, manager, engagement) == []  # only key people are checked
    TeamAssignment.objects.filter(member=intern).update(key_person=True)
    assert codes(api, manager, engagement) == ["team_not_eligible"]
    waive(engagement, intern)
    assert codes(api, manager, engagement) == []


def test_the_gate_is_read_on_the_day_asked(api, manager):
    engagement = ready_engagement("service", approved_vendor("V"))
    before_start = engagement.agreement.start_date - datetime.timedelta(days=1)
    assert "no_signed_agreement" in codes(api, manager, engagement, before_start)
    assert codes(api, manager, engagement, today()) == []


def test_the_owner_overrides_the_gate_audited(api, manager):
    from auditlog.models import LogEntry

    engagement = ready_engagement("service", approved_vendor("V"))
    _probation(engagement)
    reason = "Continuity of the help desk while the appraisal is reviewed by the board."
    response = api(manager).post(
        f"/engagements/{engagement.pk}/transitions", {"to": "active", "override_reason": reason}
    )
    assert response.status_code == 200, response.content
    entry = LogEntry.objects.get_for_model(Engagement).filter(object_pk=str(engagement.pk)).latest("timestamp")
    assert entry.actor == manager and entry.changes_dict["override_reason"][1] == reason


def test_the_engagement_page_lists_the_blockers(web, manager):
    engagement = ready_engagement("service", approved_vendor("V"))
    _probation(engagement)
    page = web(manager).get(f"/engagements/{engagement.pk}/").content.decode()
    assert 'data-blocker="vendor_standing"' in page and "probation" in page


def test_the_gate_of_a_portfolio_costs_a_flat_number_of_queries(django_assert_max_num_queries):
    def portfolio(n: int) -> Any:
        made = []
        for i in range(n):
            vendor = approved_vendor(f"V{len(made)}-{n}", assessed="approve" if i % 2 else "reject")
            engagement = ready_engagement(FORMS[i % len(FORMS)], vendor, f"E{i}-{n}")
            require(engagement)
            made.append(engagement.pk)
        return Engagement.objects.filter(pk__in=made)

    few, many = portfolio(5), portfolio(40)
    with django_assert_max_num_queries(40) as counted:
        small = few.activation_blockers(today())
    with django_assert_max_num_queries(len(counted.captured_queries)):
        large = many.activation_blockers(today())
    assert len(small) == 5 and len(large) == 40
    # the answer for one is the same method on a queryset of one
    for pk, found in large.items():
        assert Engagement.objects.filter(pk=pk).activation_blockers(today())[pk] == found
