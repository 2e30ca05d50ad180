"""What the app registers: the `assessment_score` criterion (latest completed assessment, set-based), the
activation check of engagements and the dashboard cards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from outsourcing.assessments import actions
from outsourcing.assessments.models import Assessment
from outsourcing.core import registry
from outsourcing.core.registry import activation_checks, vendor_criteria

from .conftest import score_all

pytestmark = pytest.mark.django_db


def _completed(flow, manager, vendor, user, scores, **kw):  # type: ignore[no-untyped-def]
    assessment = flow(vendor, user, **kw)
    score_all(assessment, manager, scores)
    return actions.do_complete_assessment(assessment, acting_user=manager)


def test_the_app_registers_its_criterion_check_and_cards() -> None:
    from outsourcing.assessments import contributions

    assert vendor_criteria["assessment_score"] is contributions.ASSESSMENT_SCORE
    assert contributions.assessment_gate in activation_checks
    assert contributions.dashboard_cards in registry.dashboard_cards


def test_assessment_score_is_the_latest_completed_score_per_vendor(  # type: ignore[no-untyped-def]
    flow, manager, vendor_a, vendor_b, vendor_a_user, vendor_b_user, fake_fit, django_assert_max_num_queries
) -> None:
    fake_fit.update({vendor_a.pk: 100, vendor_b.pk: 0})
    old = _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 0, "i2": 0}, answers={"i1": "0", "i2": "no"})
    Assessment.objects.filter(pk=old.pk).update(completed_at=timezone.now() - datetime.timedelta(days=30))
    new = _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 4, "i2": 1}, answers={"i1": "4", "i2": "no"})
    flow(vendor_b, vendor_b_user)  # in review only: not counted
    compute = vendor_criteria["assessment_score"].compute
    with django_assert_max_num_queries(2):  # the admin's re-examination months, then the assessments
        scores = compute([vendor_a.pk, vendor_b.pk], None, timezone.localdate())
    assert scores[vendor_a.pk].score == pytest.approx(100.0)
    assert f"#{new.pk}" in scores[vendor_a.pk].detail
    assert scores[vendor_b.pk].score is None
    as_of_before = timezone.localdate() - datetime.timedelta(days=10)
    assert compute([vendor_a.pk], None, as_of_before)[vendor_a.pk].score == pytest.approx(25.0)


def assessment_activation_check(engagement, as_of=None):  # type: ignore[no-untyped-def]
    """The gate's assessment codes for one engagement: the set-based check on a list of one."""
    from outsourcing.assessments.contributions import assessment_gate

    return assessment_gate([engagement], as_of or timezone.localdate()).get(engagement.pk, [])


def test_an_engagement_needs_a_completed_assessment_to_activate(  # type: ignore[no-untyped-def]
    flow, manager, vendor_a, vendor_a_user, engagement_a, fake_fit
) -> None:
    assert [b.code for b in assessment_activation_check(engagement_a)] == ["assessment_missing"]
    fake_fit[vendor_a.pk] = 0
    _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 0, "i2": 0}, answers={"i1": "0", "i2": "no"})
    assert [b.code for b in assessment_activation_check(engagement_a)] == ["assessment_rejected"]
    fake_fit[vendor_a.pk] = 100
    _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 4, "i2": 1}, answers={"i1": "4", "i2": "no"})
    assert assessment_activation_check(engagement_a) == []


def test_a_blocked_assessment_blocks_activation_whatever_its_score(  # type: ignore[no-untyped-def]
    flow, manager, vendor_a, vendor_a_user, engagement_a, fake_fit, fake_blockers
) -> None:
    fake_fit[vendor_a.pk] = 100
    fake_blockers[vendor_a.pk] = "CMMI 3 required"
    _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 4, "i2": 1, "i3": 4}, engagement=engagement_a)
    assert [b.code for b in assessment_activation_check(engagement_a)] == ["assessment_rejected"]


def test_an_assessment_for_another_engagement_counts(  # type: ignore[no-untyped-def]
    flow, manager, vendor_a, vendor_a_user, engagement_a, fake_fit
) -> None:
    """SPEC: the vendor's management-system assessment counts "for any engagement"."""
    from outsourcing.engagements.models import Engagement

    other = Engagement.objects.create(
        title="Other", form="service", vendor=vendor_a, start_date=datetime.date(2026, 1, 1)
    )
    fake_fit[vendor_a.pk] = 100
    _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 4, "i2": 1, "i3": 4}, engagement=other)
    assert assessment_activation_check(engagement_a) == []


@pytest.mark.parametrize(
    ("tier", "months_ago", "codes"),
    [
        ("", 11, []),  # no tier: a 12-month cycle
        ("", 13, ["assessment_missing"]),
        ("critical", 13, ["assessment_missing"]),
        ("high", 13, []),
        ("high", 25, ["assessment_missing"]),
        ("standard", 35, []),
        ("standard", 37, ["assessment_missing"]),
    ],
)
def test_an_assessment_counts_within_the_vendors_reexamination_cycle(  # type: ignore[no-untyped-def]
    flow, manager, vendor_a, vendor_a_user, engagement_a, fake_fit, tier, months_ago, codes
) -> None:
    from dateutil.relativedelta import relativedelta

    vendor_a.risk_tier = tier
    vendor_a.save()
    fake_fit[vendor_a.pk] = 100
    done = _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 4, "i2": 1}, answers={"i1": "4", "i2": "no"})
    day = timezone.localdate(done.completed_at) + relativedelta(months=months_ago)
    engagement_a.refresh_from_db()
    assert [b.code for b in assessment_activation_check(engagement_a, day)] == codes
    # the comparison's assessment criterion asks the same rule
    score = vendor_criteria["assessment_score"].compute([vendor_a.pk], None, day)[vendor_a.pk].score
    assert (score is None) == bool(codes)


def test_an_assessment_completed_after_the_day_does_not_count(  # type: ignore[no-untyped-def]
    flow, manager, vendor_a, vendor_a_user, engagement_a, fake_fit
) -> None:
    fake_fit[vendor_a.pk] = 100
    done = _completed(flow, manager, vendor_a, vendor_a_user, {"i1": 4, "i2": 1}, answers={"i1": "4", "i2": "no"})
    day = timezone.localdate(done.completed_at)
    assert assessment_activation_check(engagement_a, day) == []
    assert [b.code for b in assessment_activation_check(engagement_a, day - datetime.timedelta(days=1))] == [
        "assessment_missing"
    ]


def test_insourcing_without_vendor_needs_no_assessment(db) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.engagements.models import Engagement

    internal = Engagement.objects.create(title="Help desk", form="insourcing", start_date=datetime.date(2026, 1, 1))
    assert assessment_activation_check(internal) == []


def test_dashboard_cards_count_what_waits(flow, manager, vendor_a, vendor_a_user, vendor_b_user, item) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.assessments.contributions import dashboard_cards

    assessment = flow(vendor_a, vendor_a_user, stop_at="submitted")
    owner_cards = {c.title: c.count for c in dashboard_cards(manager)}
    assert owner_cards == {"Assessments awaiting review": 1, "Returned items awaiting the vendor": 0}
    actions.do_start_review(assessment, acting_user=manager)
    actions.do_return_item(assessment, item("i1"), acting_user=manager, reason="Missing signature")
    owner_cards = {c.title: c.count for c in dashboard_cards(manager)}
    assert owner_cards == {"Assessments awaiting review": 0, "Returned items awaiting the vendor": 1}
    assert [c.count for c in dashboard_cards(vendor_a_user)] == [1]
    assert [c.count for c in dashboard_cards(vendor_b_user)] == [0]


def test_the_dashboard_shows_the_cards(web, flow, manager, vendor_a, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    flow(vendor_a, vendor_a_user, stop_at="submitted")
    page = web(manager).get("/").content.decode()
    assert "Assessments awaiting review" in page
    assert "/assessments/?status=awaiting_review" in page
