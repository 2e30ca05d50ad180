"""Counting the engagements blocked from activation across the portfolio: set-based, and the same verdict as
asking each engagement on its own (agreement, qualification and assessment checks all registered)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from outsourcing.assessments.contributions import assessment_activation_check, assessment_activation_check_many
from outsourcing.assessments.models import Assessment, AssessmentTemplate
from outsourcing.engagements.actions import activation_blockers, blocked_from_activation
from outsourcing.engagements.models import Engagement
from outsourcing.engagements.reports import dashboard_cards
from outsourcing.qualifications.models import Qualification, QualificationRequirement, QualificationType
from outsourcing.qualifications.services import activation_blockers as qualification_check
from outsourcing.qualifications.services import activation_blockers_many as qualification_check_many

from .conftest import make_agreement, make_engagement

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _no_other_apps_activation_checks() -> None:
    """Here every app's real activation check stays registered (overrides the package's autouse fixture)."""


def _in_selection(vendor: Any, title: str) -> Engagement:
    engagement = make_engagement(vendor, title=title)
    Engagement.objects.filter(pk=engagement.pk).update(status="selection")
    engagement.refresh_from_db()
    return engagement


def _assessment(vendor: Any, engagement: Engagement | None = None, recommendation: str = "approve") -> Assessment:
    return Assessment.objects.create(
        vendor=vendor,
        engagement=engagement,
        template=AssessmentTemplate.objects.first(),
        status="completed",
        completed_at=timezone.now(),
        score=80,
        recommendation=recommendation,
    )


@pytest.fixture
def portfolio(vendor_a: Any, vendor_b: Any) -> dict[str, Engagement]:
    iso = QualificationType.objects.get(code="iso9001")
    iso27 = QualificationType.objects.get(code="iso27001")
    Qualification.objects.create(
        vendor=vendor_b,
        type=iso27,
        number="ISMS-1",
        issuer="CQC",
        valid_from=TODAY - datetime.timedelta(days=10),
        valid_until=TODAY + datetime.timedelta(days=300),
        verification_status="verified",
    )
    made = {}
    for name, vendor in [
        ("no_agreement", vendor_a),
        ("no_assessment", vendor_a),
        ("ready", vendor_b),
        ("missing_qualification", vendor_b),
        ("held_qualification", vendor_b),
        ("rejected_for_this_one", vendor_b),
    ]:
        engagement = _in_selection(vendor, name)
        if name != "no_agreement":
            make_agreement(engagement, signed=True)
        made[name] = engagement
    _assessment(vendor_b)  # general: applies to every engagement of vendor B ...
    _assessment(vendor_b, made["rejected_for_this_one"], recommendation="reject")  # ... but this later one
    QualificationRequirement.objects.create(engagement=made["missing_qualification"], type=iso)
    QualificationRequirement.objects.create(engagement=made["held_qualification"], type=iso27)
    return made


def test_blocked_set_is_what_each_engagement_says_of_itself(portfolio: dict[str, Engagement]) -> None:
    engagements = list(portfolio.values())
    expected = {e.pk for e in engagements if activation_blockers(e)}
    assert expected == {
        portfolio[n].pk for n in ("no_agreement", "no_assessment", "missing_qualification", "rejected_for_this_one")
    }
    assert blocked_from_activation(engagements) == expected
    assert blocked_from_activation([]) == set()


def test_set_based_checks_agree_with_the_single_ones(portfolio: dict[str, Engagement]) -> None:
    engagements = list(portfolio.values())
    qualification = qualification_check_many(engagements)
    assessment = assessment_activation_check_many(engagements)
    for e in engagements:
        assert qualification.get(e.pk, []) == qualification_check(e), e.title
        assert assessment[e.pk] == assessment_activation_check(e), e.title


def test_dashboard_counts_every_blocked_engagement_in_a_flat_number_of_queries(
    manager: Any, vendor_a: Any, django_assert_max_num_queries: Any
) -> None:
    def blocked_card() -> int:
        (card,) = [c for c in dashboard_cards(manager) if "activation" in str(c.title)]
        return card.count

    for i in range(3):
        make_agreement(_in_selection(vendor_a, f"A{i}"), signed=True)
    with django_assert_max_num_queries(12) as few:
        assert blocked_card() == 3
    for i in range(40):
        make_agreement(_in_selection(vendor_a, f"B{i}"), signed=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert blocked_card() == 43
