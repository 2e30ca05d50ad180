"""Eligibility as of a date, per SPEC "Precise definitions", through GET /engagements/{id}/eligibility."""

import datetime

import pytest

from outsourcing.teams.actions import do_add_to_team, do_grant_waiver
from outsourcing.teams.models import Waiver

pytestmark = pytest.mark.django_db
D = datetime.date


def _team(engagement, manager, *members):
    for m in members:
        start = max(D(2024, 1, 1), m.hire_date)  # nobody is put on a team before being employed
        do_add_to_team(engagement, acting_user=manager, member=m, role="Engineer", start_date=start)


def _verdicts(api, user, engagement, as_of):
    body = api(user).get(f"/engagements/{engagement.pk}/eligibility", as_of=as_of.isoformat()).json()
    assert body["as_of"] == as_of.isoformat()
    return {m["member_id"]: m for m in body["members"]}


def test_a_regular_employee_with_contract_and_a_year_is_eligible(api, manager, engagement_a, person):
    m = person(engagement_a.vendor, hire_date=D(2023, 3, 10), probation_end_date=D(2023, 6, 9))
    _team(engagement_a, manager, m)
    assert _verdicts(api, manager, engagement_a, D(2024, 3, 10))[m.pk] == {
        "member_id": m.pk,
        "eligible": True,
        "waived": False,
        "reasons": [],
    }
    # one day before the anniversary: 11 full months, no prior experience
    assert _verdicts(api, manager, engagement_a, D(2024, 3, 9))[m.pk]["reasons"] == [
        "insufficient_tenure_and_experience"
    ]


def test_month_end_and_leap_day_anniversaries(api, manager, engagement_a, person):
    leap = person(engagement_a.vendor, hire_date=D(2024, 2, 29), probation_end_date=D(2024, 3, 31))
    _team(engagement_a, manager, leap)
    assert _verdicts(api, manager, engagement_a, D(2025, 2, 28))[leap.pk]["eligible"] is True
    assert _verdicts(api, manager, engagement_a, D(2025, 2, 27))[leap.pk]["eligible"] is False


def test_experience_counts_with_tenure_towards_the_experience_threshold(api, manager, engagement_a, person):
    # 3 full months at the vendor + 21 prior = 24: enough; 20 prior = 23: not enough
    enough = person(
        engagement_a.vendor,
        full_name="A",
        hire_date=D(2024, 1, 31),
        probation_end_date=D(2024, 2, 1),
        prior_experience_months=21,
    )
    short = person(
        engagement_a.vendor,
        full_name="B",
        hire_date=D(2024, 1, 31),
        probation_end_date=D(2024, 2, 1),
        prior_experience_months=20,
    )
    _team(engagement_a, manager, enough, short)
    verdicts = _verdicts(api, manager, engagement_a, D(2024, 4, 30))
    assert verdicts[enough.pk]["reasons"] == []
    assert verdicts[short.pk]["reasons"] == ["insufficient_tenure_and_experience"]


def test_probation_ending_on_the_date_has_passed(api, manager, engagement_a, person):
    m = person(engagement_a.vendor, hire_date=D(2020, 1, 1), probation_end_date=D(2024, 6, 30))
    _team(engagement_a, manager, m)
    assert _verdicts(api, manager, engagement_a, D(2024, 6, 30))[m.pk]["reasons"] == []
    assert _verdicts(api, manager, engagement_a, D(2024, 6, 29))[m.pk]["reasons"] == ["probation_not_passed"]


def test_missing_probation_date_and_contract_and_wrong_type_are_all_reported(api, manager, engagement_a, person):
    m = person(
        engagement_a.vendor,
        employment_type="dispatched",
        probation_end_date=None,
        contract=False,
        hire_date=D(2024, 1, 1),
    )
    _team(engagement_a, manager, m)
    assert _verdicts(api, manager, engagement_a, D(2024, 2, 1))[m.pk]["reasons"] == [
        "not_regular_employee",
        "probation_not_passed",
        "contract_missing",
        "insufficient_tenure_and_experience",
    ]


def test_people_hired_after_or_gone_by_the_date_are_not_evaluated(api, manager, engagement_a, person):
    later = person(engagement_a.vendor, full_name="Later", hire_date=D(2024, 5, 2), probation_end_date=None)
    gone = person(engagement_a.vendor, full_name="Gone", hire_date=D(2019, 1, 1), left_date=D(2024, 5, 1))
    _team(engagement_a, manager, later, gone)
    on_day = _verdicts(api, manager, engagement_a, D(2024, 5, 1))
    assert gone.pk not in on_day  # left on D: no longer employed
    assert later.pk not in on_day  # hired after D
    day_before = _verdicts(api, manager, engagement_a, D(2024, 4, 30))
    assert day_before[gone.pk]["eligible"] is True
    assert _verdicts(api, manager, engagement_a, D(2024, 5, 2))[later.pk]["reasons"] == [
        "probation_not_passed",
        "insufficient_tenure_and_experience",
    ]


def test_thresholds_come_from_the_engagement(api, manager, engagement_a, person):
    engagement_a.min_tenure_months = 24
    engagement_a.min_experience_months = 36
    engagement_a.save()
    m = person(engagement_a.vendor, hire_date=D(2023, 1, 1), prior_experience_months=11)
    _team(engagement_a, manager, m)
    assert _verdicts(api, manager, engagement_a, D(2024, 12, 31))[m.pk]["eligible"] is False  # 23 + 11 = 34
    assert _verdicts(api, manager, engagement_a, D(2025, 1, 1))[m.pk]["eligible"] is True  # 24 months


def test_a_valid_waiver_makes_eligible_with_waiver_and_keeps_the_reasons(api, manager, engagement_a, person):
    m = person(engagement_a.vendor, employment_type="contractor")
    _team(engagement_a, manager, m)
    waiver = do_grant_waiver(
        engagement_a,
        member=m,
        acting_user=manager,
        justification="Sole expert on the legacy billing system.",
        valid_from=D(2024, 1, 1),
        valid_until=D(2024, 6, 30),
    )
    inside = _verdicts(api, manager, engagement_a, D(2024, 6, 30))[m.pk]
    assert inside == {
        "member_id": m.pk,
        "eligible": True,
        "waived": True,
        "reasons": ["not_regular_employee"],
    }
    after = _verdicts(api, manager, engagement_a, D(2024, 7, 1))[m.pk]
    assert after["eligible"] is False and after["waived"] is False
    assert api(manager).post(f"/waivers/{waiver.pk}/revoke").status_code == 200
    assert _verdicts(api, manager, engagement_a, D(2024, 6, 1))[m.pk]["eligible"] is False


def test_only_the_owner_grants_waivers(api, auditor, vendor_a_user, engagement_a, person):
    m = person(engagement_a.vendor)
    body = {
        "member_id": m.pk,
        "justification": "Needed for the migration window.",
        "valid_until": "2026-12-31",
    }
    assert api(vendor_a_user).post(f"/engagements/{engagement_a.pk}/waivers", body).status_code == 403
    assert api(auditor).post(f"/engagements/{engagement_a.pk}/waivers", body).status_code == 403
    assert not Waiver.objects.exists()


def test_a_waiver_needs_a_justification_and_an_end_after_its_start(api, manager, engagement_a, person):
    m = person(engagement_a.vendor)
    url = f"/engagements/{engagement_a.pk}/waivers"
    short = api(manager).post(url, {"member_id": m.pk, "justification": "x", "valid_until": "2026-12-31"})
    assert short.status_code == 422 and short.json()["detail"][0]["field"] == "justification"
    backwards = api(manager).post(
        url,
        {
            "member_id": m.pk,
            "justification": "Needed for the cut-over.",
            "valid_from": "2026-02-01",
            "valid_until": "2026-01-31",
        },
    )
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["field"] == "valid_until"
    assert not Waiver.objects.exists()
