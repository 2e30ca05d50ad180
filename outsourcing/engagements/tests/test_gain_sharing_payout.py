"""Gain-sharing payouts pinned by worked examples: base share, marginal tiers, their edges and the cap.

Terms: baseline 100 000.00 (a cost to bring down); 20 % of the benefit up to 10 000, 30 % of the part from
10 000 to 50 000, 50 % above 50 000; capped at 15 000.00 a period.
"""

from decimal import Decimal

import pytest

from outsourcing.core.access import SYSTEM
from outsourcing.engagements import calc
from outsourcing.engagements.actions import do_record_benefit_period, do_save_benefit_terms

from .conftest import make_agreement, make_engagement, put

D = Decimal
TIERS = [(D(10000), D(30)), (D(50000), D(50))]


def pay(measured: str, cap: str | None = "15000") -> calc.Payout:
    return calc.payout(
        baseline=D(100000),
        measured=D(measured),
        increase=False,
        share_percent=D(20),
        tiers=TIERS,
        cap=D(cap) if cap else None,
    )


@pytest.mark.parametrize(
    ("measured", "benefit", "payout"),
    [
        ("100000", "0", "0"),  # no benefit
        ("120000", "-20000", "0"),  # worse than baseline: nothing, never negative
        ("99999.99", "0.01", "0.00"),  # 20 % of 0.01 = 0.002 → 0.00
        ("99999.97", "0.03", "0.01"),  # 0.006 → 0.01 (half-up)
        ("95000", "5000", "1000.00"),
        ("90000", "10000", "2000.00"),  # exactly on the first tier: all at the base share
        ("89999", "10001", "2000.30"),  # 2000 + 30 % of 1
        ("50000", "50000", "14000.00"),  # exactly on the second tier: 2000 + 12000
        ("49000", "51000", "14500.00"),  # 2000 + 12000 + 50 % of 1000
        ("48000", "52000", "15000.00"),  # 15000 exactly: the cap is reached, not exceeded
        ("40000", "60000", "15000.00"),  # 19000 capped to 15000
    ],
)
def test_payout_at_the_edges_of_every_tier_and_the_cap(measured, benefit, payout):
    result = pay(measured)
    assert result.benefit == D(benefit)
    assert result.payout == D(payout)


def test_the_explanation_has_one_line_per_step_adding_up_to_the_payout():
    result = pay("40000")
    assert result.capped is True
    assert result.lines == [
        "Benefit = baseline 100000 − measured 40000 = 60000",
        "20% of 10000 (benefit from 0 to 10000) = 2000.00",
        "30% of 40000 (benefit from 10000 to 50000) = 12000.00",
        "50% of 10000 (benefit from 50000 to …) = 5000.00",
        "Sum 19000.00 exceeds the cap 15000: paid 15000",
        "Payout = 15000",
    ]


def test_without_a_cap_the_whole_tiered_share_is_paid():
    assert pay("40000", cap=None).payout == D("19000.00")


def test_an_increase_over_baseline_is_the_benefit_for_revenue_shares():
    result = calc.payout(baseline=D(1000), measured=D("1333.33"), increase=True, share_percent=D("12.5"))
    assert result.benefit == D("333.33")
    assert result.payout == D("41.67")  # 41.66625 → 41.67


@pytest.mark.django_db
def test_the_api_explains_each_period_payout(api, manager, vendor_a):
    engagement = make_engagement(vendor_a, form="benefit_based")
    make_agreement(engagement)
    client = api(manager)
    terms = {
        "measure": "Electricity cost",
        "baseline": "100000.00",
        "direction": "decrease",
        "share_percent": "20",
        "cap": "15000",
        "tiers": [
            {"benefit_from": "10000", "share_percent": "30"},
            {"benefit_from": "50000", "share_percent": "50"},
        ],
    }
    assert put(client, f"/engagements/{engagement.pk}/benefit-terms", terms).status_code == 200
    for month, measured in (("2026-03-01", "89999"), ("2026-04-01", "40000")):
        response = client.post(
            f"/engagements/{engagement.pk}/benefit-periods", {"period_start": month, "measured": measured}
        )
        assert response.status_code == 201, response.content
    payouts = client.get(f"/engagements/{engagement.pk}/payouts").json()
    assert [(p["period_start"], D(p["payout"]), p["capped"]) for p in payouts] == [
        ("2026-03-01", D("2000.30"), False),
        ("2026-04-01", D("15000"), True),
    ]
    assert payouts[0]["explanation"][-1] == "Payout = 2000.30"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"share_percent": D(101)}, "share_percent"),
        ({"baseline": D(-1)}, "baseline"),
        ({"cap": D("-0.01")}, "cap"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_written(vendor_a, changes, field):
    from django.core.exceptions import ValidationError

    from outsourcing.engagements.models import BenefitTerms

    engagement = make_engagement(vendor_a, form="benefit_based")
    base = {"measure": "Cost", "baseline": D(100), "share_percent": D(20)}
    with pytest.raises(ValidationError) as info:
        do_save_benefit_terms(engagement, acting_user=SYSTEM, changes={**base, **changes})
    assert field in info.value.message_dict
    assert not BenefitTerms.objects.exists()


@pytest.mark.django_db
def test_a_result_outside_the_agreement_is_refused(vendor_a):
    from django.core.exceptions import ValidationError

    engagement = make_engagement(vendor_a, form="benefit_based")
    make_agreement(engagement)
    do_save_benefit_terms(
        engagement,
        acting_user=SYSTEM,
        changes={"measure": "Cost", "baseline": D(100), "share_percent": D(20)},
    )
    with pytest.raises(ValidationError) as info:
        do_record_benefit_period(engagement, period_start="2027-01-01", measured=D(50), acting_user=SYSTEM)
    assert "outside the agreement" in info.value.message_dict["period_start"][0]
    assert not engagement.benefit_periods.exists()
