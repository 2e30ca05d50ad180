"""What the qualifications app contributes to others: activation blockers, vendor blockers, fit, cards."""

import datetime

import pytest
from django.utils import timezone

from outsourcing.core import registry
from outsourcing.core.access import SYSTEM
from outsourcing.qualifications.actions import do_add_requirement, do_renew_qualification

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def require(engagement, code, level=None):
    do_add_requirement(engagement, acting_user=SYSTEM, type_code=code, min_level=level)


def test_each_missing_requirement_blocks_activation(engagement_a, make_qualification, only_registered):
    only_registered("qualifications")
    require(engagement_a, "cmmi", 3)
    require(engagement_a, "iso27001")
    require(engagement_a, "iso9001")
    make_qualification(engagement_a.vendor, "iso9001")
    blockers = registry.activation_blockers_of([engagement_a], D.today())[engagement_a.pk]
    assert [b.code for b in blockers] == ["qualification_missing", "qualification_missing"]
    assert "CMMI" in blockers[0].message and "3" in blockers[0].message
    assert "27001" in blockers[1].message


def test_no_requirement_no_activation_blocker(engagement_a, only_registered):
    only_registered("qualifications")
    assert registry.activation_blockers_of([engagement_a], D.today())[engagement_a.pk] == []


def test_a_candidate_vendor_missing_a_requirement_cannot_be_approved(engagement_a, vendor_b, make_qualification):
    require(engagement_a, "cmmi", 3)
    make_qualification(vendor_b, "cmmi", 2)
    blockers = registry.vendor_blockers_of([vendor_b], engagement_a, D(2026, 6, 1))[vendor_b.pk]
    assert [b.code for b in blockers] == ["qualification_missing"]
    make_qualification(vendor_b, "cmmi", 3)
    assert registry.vendor_blockers_of([vendor_b], engagement_a, D(2026, 6, 1))[vendor_b.pk] == []


def test_without_engagement_no_vendor_blocker(vendor_b):
    assert registry.vendor_blockers_of([vendor_b], None, D(2026, 6, 1))[vendor_b.pk] == []


def test_fit_is_the_share_of_requirements_met_for_every_candidate(
    engagement_a, vendor_a, vendor_b, make_qualification, django_assert_max_num_queries
):
    require(engagement_a, "cmmi", 3)
    require(engagement_a, "iso9001")
    require(engagement_a, "iso27001")
    require(engagement_a, "iso20000")
    make_qualification(vendor_a, "cmmi", 5)
    make_qualification(vendor_a, "iso9001")
    make_qualification(vendor_a, "iso27001")
    make_qualification(vendor_b, "cmmi", 2)
    criterion = registry.vendor_criteria["qualification_fit"]
    with django_assert_max_num_queries(2):
        scores = criterion.compute([vendor_a.pk, vendor_b.pk], engagement_a, D(2026, 6, 1))
    assert scores[vendor_a.pk].score == 75.0
    assert "iso20000" in scores[vendor_a.pk].detail
    assert scores[vendor_b.pk].score == 0.0


def test_fit_without_engagement_is_the_share_of_current_certificates_that_count(vendor_a, vendor_b, make_qualification):
    make_qualification(vendor_a, "iso9001")
    make_qualification(vendor_a, "iso14001", verified=False)
    old = make_qualification(vendor_a, "cmmi", 3, valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31))
    renewed = do_renew_qualification(
        old,
        acting_user=SYSTEM,
        fields={
            "level": 3,
            "number": "R",
            "issuer": "CMMI Institute",
            "valid_from": D(2023, 1, 1),
            "valid_until": D(2027, 12, 31),
        },
    )
    from .conftest import verify

    verify(renewed)
    scores = registry.vendor_criteria["qualification_fit"].compute([vendor_a.pk, vendor_b.pk], None, D(2026, 6, 1))
    assert scores[vendor_a.pk].score == pytest.approx(200 / 3)  # iso9001 and the renewed cmmi of three current
    assert scores[vendor_b.pk].score is None


def test_dashboard_cards_count_expiring_and_pending_certificates_the_user_may_see(
    manager, vendor_b_user, vendor_a, make_qualification
):
    make_qualification(vendor_a, "iso9001", valid_from=D(2024, 1, 1), valid_until=TODAY + datetime.timedelta(days=30))
    make_qualification(vendor_a, "iso27001", valid_from=D(2024, 1, 1), valid_until=TODAY + datetime.timedelta(days=31))
    make_qualification(vendor_a, "cmmi", 3, verified=False)
    cards = {c.title: c.count for fn in registry.dashboard_cards for c in fn(manager)}
    assert cards["Certificates expiring within 30 days"] == 1
    assert cards["Certificates pending verification"] == 1
    b_cards = [c.title for fn in registry.dashboard_cards for c in fn(vendor_b_user)]
    assert "Certificates expiring within 30 days" not in b_cards


def test_a_renewed_certificate_no_longer_nags_as_expiring(manager, vendor_a, make_qualification):
    old = make_qualification(
        vendor_a, "iso9001", valid_from=D(2024, 1, 1), valid_until=TODAY + datetime.timedelta(days=5)
    )
    do_renew_qualification(
        old,
        acting_user=SYSTEM,
        fields={
            "number": "R",
            "issuer": "CQC",
            "valid_from": TODAY,
            "valid_until": TODAY + datetime.timedelta(days=1000),
        },
    )
    cards = {c.title: c.count for fn in registry.dashboard_cards for c in fn(manager)}
    assert "Certificates expiring within 30 days" not in cards
    assert cards["Certificates pending verification"] == 1


def test_the_dashboard_tells_each_side_what_it_has_to_do(manager, vendor_a_user, vendor_a, make_qualification):
    """The owner is told to ask the vendor; the vendor's own user is told to upload — never the owner's words."""
    make_qualification(vendor_a, "iso9001", valid_from=D(2024, 1, 1), valid_until=TODAY + datetime.timedelta(days=30))
    make_qualification(vendor_a, "cmmi", 3, verified=False)

    def descriptions(user):  # type: ignore[no-untyped-def]
        return {c.title: str(c.description) for fn in registry.dashboard_cards for c in fn(user)}

    owner, vendor = descriptions(manager), descriptions(vendor_a_user)
    assert owner["Certificates expiring within 30 days"] == "Ask the vendor for the renewed certificate."
    assert vendor["Certificates expiring within 30 days"] == (
        "Upload your renewed certificate before the current one expires."
    )
    assert vendor["Certificates pending verification"].startswith("The owner checks them")
    assert not any("Ask the vendor" in text or "Decide on" in text for text in vendor.values())
