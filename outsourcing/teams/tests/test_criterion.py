"""The team-stability comparison criterion answers for many vendors at once, with "no data" when empty."""

import datetime

import pytest

from outsourcing.core.registry import vendor_criteria
from outsourcing.vendors.registration import unified_social_credit_code as uscc

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_is_registered():
    assert "team_stability" in vendor_criteria


def test_it_scores_every_vendor_from_one_query(vendor_a, vendor_b, person, django_assert_num_queries):
    from outsourcing.vendors.models import Vendor

    empty = Vendor.objects.create(name="Empty", registration_number=uscc("91110000MAEMPTY01"), country="CN")
    for i in range(4):
        person(vendor_a, full_name=f"A{i}", hire_date=D(2020, 1, 1), contract=False)
    person(vendor_b, full_name="B0", hire_date=D(2020, 1, 1), contract=False)
    person(vendor_b, full_name="B1", hire_date=D(2020, 1, 1), left_date=D(2024, 6, 1), contract=False)
    compute = vendor_criteria["team_stability"].compute
    with django_assert_num_queries(1):
        scores = compute([vendor_a.pk, vendor_b.pk, empty.pk], None, D(2024, 12, 31))
    assert scores[vendor_a.pk].score == 100.0
    b = scores[vendor_b.pk]
    # turnover = 1 ÷ ((2 + 1) / 2) = 2/3 → 100 × 1/3; retention at 365 days is 1.0 (nobody left that early)
    assert b.score == pytest.approx((100 * 1.0 + 100 * (1 - 2 / 3)) / 2)
    assert scores[empty.pk].score is None
