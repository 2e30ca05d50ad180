"""A requirement is met when the vendor holds a qualification of that type that counts, at level ≥ minimum."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from outsourcing.core.access import SYSTEM
from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.actions import do_add_requirement, do_reject_qualification
from outsourcing.qualifications.services import qualification_gaps

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 6, 1)


def require(engagement, type_code, min_level=None):
    return do_add_requirement(engagement, acting_user=SYSTEM, type_code=type_code, min_level=min_level)


@pytest.mark.parametrize(("held", "minimum", "met"), [(3, 3, True), (4, 3, True), (5, 3, True), (2, 3, False)])
def test_a_level_meets_the_minimum_when_equal_or_higher(make_qualification, vendor_a, engagement_a, held, minimum, met):
    make_qualification(vendor_a, "cmmi", held)
    require(engagement_a, "cmmi", minimum)
    assert qualification_gaps(engagement_a, ON) == ((["cmmi"], []) if met else ([], ["cmmi"]))


def test_the_best_counting_level_decides(make_qualification, vendor_a, engagement_a):
    make_qualification(vendor_a, "cmmi", 2)
    make_qualification(vendor_a, "cmmi", 5, verified=False)  # the higher one does not count
    require(engagement_a, "cmmi", 3)
    assert qualification_gaps(engagement_a, ON) == ([], ["cmmi"])
    make_qualification(vendor_a, "cmmi", 3)
    assert qualification_gaps(engagement_a, ON) == (["cmmi"], [])


def test_a_type_without_levels_is_met_by_any_counting_certificate(make_qualification, vendor_a, engagement_a):
    require(engagement_a, "iso27001")
    assert qualification_gaps(engagement_a, ON) == ([], ["iso27001"])
    make_qualification(vendor_a, "iso27001")
    assert qualification_gaps(engagement_a, ON) == (["iso27001"], [])


def test_a_requirement_without_minimum_accepts_any_level(make_qualification, vendor_a, engagement_a):
    make_qualification(vendor_a, "system_integration", 1)
    require(engagement_a, "system_integration")
    assert qualification_gaps(engagement_a, ON) == (["system_integration"], [])


@pytest.mark.parametrize(
    ("as_of", "met"),
    [(D(2025, 12, 31), False), (D(2026, 1, 1), True), (D(2026, 12, 31), True), (D(2027, 1, 1), False)],
)
def test_gaps_follow_the_validity_dates_at_their_edges(make_qualification, vendor_a, engagement_a, as_of, met):
    make_qualification(vendor_a, "iso9001", valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 31))
    require(engagement_a, "iso9001")
    assert qualification_gaps(engagement_a, as_of) == ((["iso9001"], []) if met else ([], ["iso9001"]))


def test_unverified_and_rejected_certificates_leave_the_gap_open(make_qualification, vendor_a, engagement_a):
    make_qualification(vendor_a, "iso9001", verified=False)
    rejected = make_qualification(vendor_a, "iso9001")
    do_reject_qualification(rejected, acting_user=SYSTEM, reason="Scope does not cover software")
    require(engagement_a, "iso9001")
    assert qualification_gaps(engagement_a, ON) == ([], ["iso9001"])


def test_another_vendors_certificate_does_not_help(make_qualification, vendor_b, engagement_a):
    make_qualification(vendor_b, "iso9001")
    require(engagement_a, "iso9001")
    assert qualification_gaps(engagement_a, ON) == ([], ["iso9001"])


def test_met_and_missing_are_sorted_type_codes(make_qualification, vendor_a, engagement_a):
    for code in ("iso9001", "cmmi", "iso27001", "iso20000"):
        require(engagement_a, code, 3 if code == "cmmi" else None)
    make_qualification(vendor_a, "iso27001")
    make_qualification(vendor_a, "cmmi", 5)
    assert qualification_gaps(engagement_a, ON) == (["cmmi", "iso27001"], ["iso20000", "iso9001"])


def test_an_engagement_without_requirements_has_no_gaps(engagement_a):
    assert qualification_gaps(engagement_a, ON) == ([], [])


def test_an_engagement_without_vendor_meets_nothing(db):
    insourced = Engagement.objects.create(title="Help desk", form="insourcing", start_date=D(2026, 1, 1))
    require(insourced, "iso20000")
    assert qualification_gaps(insourced, ON) == ([], ["iso20000"])


@pytest.mark.parametrize(
    ("type_code", "min_level"),
    [("iso9001", 1), ("iso14001", 0), ("cmmi", 1), ("cmmi", 6), ("security_service", 4)],
)
def test_a_minimum_level_outside_the_types_levels_is_refused(engagement_a, type_code, min_level):
    with pytest.raises(ValidationError) as exc:
        require(engagement_a, type_code, min_level)
    assert "min_level" in exc.value.message_dict
    assert not engagement_a.qualification_requirements.exists()


def test_a_type_is_required_once_per_engagement(engagement_a):
    require(engagement_a, "cmmi", 3)
    with pytest.raises(ValidationError) as exc:
        require(engagement_a, "cmmi", 4)
    assert "type_code" in exc.value.message_dict
    assert engagement_a.qualification_requirements.get().min_level == 3
