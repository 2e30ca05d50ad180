"""A suspended or blocked vendor is not chosen for new work; only an approved vendor starts an engagement."""

import datetime

import pytest

from outsourcing.core import registry
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


def _blockers(vendor, engagement=None):
    return [b.code for b in registry.vendor_blockers_of([vendor], engagement, DAY)[vendor.pk]]


@pytest.mark.parametrize(
    ("status", "codes"),
    [("prospective", []), ("approved", []), ("suspended", ["vendor_suspended"]), ("blocked", ["vendor_blocked"])],
)
def test_only_suspended_and_blocked_vendors_are_closed_to_new_work(vendor_a, only_registered, status, codes):
    only_registered("vendors")
    vendor_a.status = status
    vendor_a.save()
    assert _blockers(vendor_a) == codes
    assert Vendor.objects.filter(pk=vendor_a.pk).open_for_new_work(DAY).exists() == (not codes)


@pytest.mark.parametrize(
    ("status", "codes"),
    [("prospective", ["vendor_not_approved"]), ("approved", []), ("suspended", ["vendor_not_approved"])],
)
def test_only_an_approved_vendor_starts_an_engagement(vendor_a, only_registered, status, codes):
    only_registered("vendors")
    vendor_a.status = status
    vendor_a.save()
    engagement = Engagement.objects.create(title="x", form="service", vendor=vendor_a, start_date=DAY)
    blockers = Engagement.objects.filter(pk=engagement.pk).activation_blockers(DAY)[engagement.pk]
    assert [b.code for b in blockers] == codes
    if codes:
        assert status in blockers[0].message and "approve" in blockers[0].message


def test_the_gate_asks_one_query_for_any_number_of_vendors(vendor_a, vendor_b, django_assert_num_queries):
    from outsourcing.vendors.contributions import vendor_not_approved

    vendor_a.status = "approved"
    vendor_a.save()
    engagements = [
        Engagement.objects.create(title=f"e{v.pk}", form="service", vendor=v, start_date=DAY)
        for v in (vendor_a, vendor_b)
    ]
    with django_assert_num_queries(1):
        many = vendor_not_approved(engagements, DAY)
    assert set(many) == {engagements[1].pk}
    assert vendor_not_approved(engagements[:1], DAY) == {}
