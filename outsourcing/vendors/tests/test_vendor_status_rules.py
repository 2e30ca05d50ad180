"""A suspended or blocked vendor is not chosen for new work and does not start an engagement."""

import datetime

import pytest

from outsourcing.core import registry
from outsourcing.engagements.models import Engagement

pytestmark = pytest.mark.django_db


def _blockers(vendor, engagement=None):
    return [b.code for fn in registry.vendor_blockers for b in fn(vendor, engagement, datetime.date(2026, 6, 1))]


@pytest.mark.parametrize(
    ("status", "codes"),
    [("prospective", []), ("approved", []), ("suspended", ["vendor_suspended"]), ("blocked", ["vendor_blocked"])],
)
def test_only_suspended_and_blocked_vendors_are_blocked(vendor_a, only_registered, status, codes):
    only_registered("vendors")
    vendor_a.status = status
    vendor_a.save()
    assert _blockers(vendor_a) == codes


def test_an_engagement_with_a_blocked_vendor_cannot_start(vendor_a, only_registered):
    only_registered("vendors")
    vendor_a.status = "blocked"
    vendor_a.save()
    engagement = Engagement.objects.create(
        title="x", form="service", vendor=vendor_a, start_date=datetime.date(2026, 1, 1)
    )
    blockers = [b for check in registry.activation_checks for b in check(engagement)]
    assert [b.code for b in blockers] == ["vendor_blocked"]
    assert "blocked" in blockers[0].message


def test_the_set_based_check_agrees_with_the_single_one(vendor_a, vendor_b, django_assert_max_num_queries):
    from outsourcing.vendors.integration import activation_blockers, activation_blockers_many

    vendor_b.status = "suspended"
    vendor_b.save()
    engagements = [
        Engagement.objects.create(title=f"e{v.pk}", form="service", vendor=v, start_date=datetime.date(2026, 1, 1))
        for v in (vendor_a, vendor_b)
    ]
    with django_assert_max_num_queries(1):
        many = activation_blockers_many(engagements)
    assert many == {e.pk: activation_blockers(e) for e in engagements}
    assert [b.code for b in many[engagements[1].pk]] == ["vendor_suspended"]
