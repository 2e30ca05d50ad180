"""Service credits pinned by worked examples, including a shortfall exactly on each band's boundary.

Availability ≥ 99.9 %, bands: from 0.1 → 5 %, from 0.5 → 10 %, from 1.0 → 25 % of a 100 000.00 monthly fee.
Response time ≤ 4 h (lower is better), bands: from 1 h over → 10 %, from 4 h over → 20 %.
"""

from decimal import Decimal

import pytest

from outsourcing.core.access import SYSTEM
from outsourcing.engagements import calc
from outsourcing.engagements.actions import do_record_measurement, do_save_metric
from outsourcing.engagements.reports import sla_report

D = Decimal
AVAILABILITY_BANDS = [(D("0.1"), D(5)), (D("0.5"), D(10)), (D("1.0"), D(25))]


@pytest.mark.parametrize(
    ("value", "shortfall", "breached", "percent"),
    [
        ("99.95", "0", False, "0"),  # better than target
        ("99.9", "0", False, "0"),  # exactly on target: no breach
        ("99.85", "0.05", True, "0"),  # a breach below the first band: no credit
        ("99.8", "0.1", True, "5"),  # exactly on the first boundary
        ("99.41", "0.49", True, "5"),
        ("99.4", "0.5", True, "10"),  # exactly on the second boundary
        ("98.91", "0.99", True, "10"),
        ("98.9", "1.0", True, "25"),  # exactly on the last boundary
        ("50", "49.9", True, "25"),
    ],
)
def test_higher_is_better_bands_at_their_edges(value, shortfall, breached, percent):
    result = calc.evaluate(D("99.9"), True, D(value))
    assert result.shortfall == D(shortfall)
    assert result.breached is breached
    assert calc.credit_percent(AVAILABILITY_BANDS, result.shortfall) == D(percent)


@pytest.mark.parametrize(
    ("value", "breached", "percent"),
    [
        ("3.5", False, "0"),
        ("4", False, "0"),
        ("4.5", True, "0"),
        ("5", True, "10"),
        ("7.99", True, "10"),
        ("8", True, "20"),
        ("30", True, "20"),
    ],
)
def test_lower_is_better_bands_at_their_edges(value, breached, percent):
    result = calc.evaluate(D(4), False, D(value))
    assert result.breached is breached
    assert calc.credit_percent([(D(1), D(10)), (D(4), D(20))], result.shortfall) == D(percent)


def test_attainment_is_the_ratio_to_target_and_100_when_met():
    assert calc.evaluate(D(100), True, D(95)).attainment == D(95)
    assert calc.evaluate(D(4), False, D(5)).attainment == D(80)
    assert calc.evaluate(D(4), False, D(2)).attainment == D(100)


def test_credit_amounts_round_half_up_to_cents():
    assert calc.credit_amount(D("333.33"), D("2.5")) == D("8.33")  # 8.33325
    assert calc.credit_amount(D("100.10"), D("5")) == D("5.01")  # 5.005 → 5.01, not banker's 5.00
    assert calc.credit_amount(D("100000.00"), D("25")) == D("25000.00")


def test_credits_of_one_period_never_exceed_its_fee():
    assert calc.capped_total([D("60000"), D("50000")], D("100000")) == D("100000")
    assert calc.capped_total([D("6000"), D("5000")], D("100000")) == D("11000")


@pytest.mark.django_db
def test_the_credit_report_adds_metric_credits_per_period(service, availability, response_time):
    may = "2026-05-01"
    do_record_measurement(service, metric_id=availability.pk, period_start=may, value=D("99.4"), acting_user=SYSTEM)
    do_record_measurement(service, metric_id=response_time.pk, period_start=may, value=D("5"), acting_user=SYSTEM)
    (period,) = [p for p in sla_report(service) if p.lines]  # the other months are gaps
    assert [(line.metric.name, line.credit_percent, line.credit) for line in period.lines] == [
        ("Availability", D(10), D("10000.00")),
        ("Response time", D(10), D("10000.00")),
    ]
    assert period.total == D("20000.00")
    assert period.breaches == 2


@pytest.mark.django_db
def test_quarterly_metrics_are_credited_against_three_months_of_fee(service, agreement):
    metric = do_save_metric(
        None,
        engagement=service,
        acting_user=SYSTEM,
        changes={"name": "Customer satisfaction", "unit": "points", "target": D(80), "period": "quarterly"},
        bands=[(D(5), D(2))],
    )
    do_record_measurement(service, metric_id=metric.pk, period_start="2026-04-01", value=D(75), acting_user=SYSTEM)
    (period,) = [p for p in sla_report(service) if p.lines]  # the other months are gaps
    assert period.quarterly and period.fee == D("300000.00")
    assert period.total == D("6000.00")


@pytest.mark.django_db
def test_changing_the_target_reevaluates_stored_measurements(service, availability):
    do_record_measurement(
        service, metric_id=availability.pk, period_start="2026-03-01", value=D("99.5"), acting_user=SYSTEM
    )
    do_save_metric(availability, engagement=service, acting_user=SYSTEM, changes={"target": D("99.5")})
    measurement = availability.measurements.get()
    assert measurement.breached is False
    assert measurement.shortfall == 0


@pytest.mark.django_db
def test_the_api_reports_credits_unrounded_figures_and_totals(api, manager, service, availability):
    client = api(manager)
    client.post(
        f"/engagements/{service.pk}/measurements",
        {"metric_id": availability.pk, "period_start": "2026-02-01", "value": "98.9"},
    )
    (period,) = client.get(f"/engagements/{service.pk}/credits").json()
    assert period["period_end"] == "2026-02-28"
    assert D(period["total_credit"]) == D("25000.00")
    line = period["lines"][0]
    assert D(line["credit_percent"]) == 25 and line["breached"] is True
