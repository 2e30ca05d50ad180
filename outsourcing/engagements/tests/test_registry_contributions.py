"""What engagements contribute to other apps: the past-performance criterion and the dashboard cards."""

import datetime
from decimal import Decimal

import pytest

from outsourcing.core import registry
from outsourcing.core.access import SYSTEM
from outsourcing.engagements.actions import do_record_measurement, do_save_metric
from outsourcing.engagements.contributions import dashboard_cards, past_performance
from outsourcing.engagements.models import Deliverable
from outsourcing.engagements.reports import last_full_month

from .conftest import make_agreement, make_engagement

pytestmark = pytest.mark.django_db
D = Decimal


def test_past_performance_is_registered():
    assert registry.vendor_criteria["past_performance"].compute is past_performance


def test_past_performance_weights_attainment_across_a_vendors_engagements(
    vendor_a, vendor_b, service, availability, django_assert_max_num_queries
):
    # availability (weight 1): 99.9 met → 100; a second engagement, weight 3, 95 of 100 → 95.
    do_record_measurement(
        service, metric_id=availability.pk, period_start="2026-03-01", value=D("99.9"), acting_user=SYSTEM
    )
    other = make_engagement(vendor_a, title="Second")
    make_agreement(other)
    metric = do_save_metric(
        None,
        engagement=other,
        acting_user=SYSTEM,
        changes={"name": "Tickets", "unit": "%", "target": D(100), "weight": D(3)},
    )
    do_record_measurement(other, metric_id=metric.pk, period_start="2026-03-01", value=D(95), acting_user=SYSTEM)
    with django_assert_max_num_queries(1):
        scores = past_performance([vendor_a.pk, vendor_b.pk], None, datetime.date(2026, 6, 30))
    assert scores[vendor_a.pk].score == pytest.approx((100 * 1 + 95 * 3) / 4)
    assert "1 breaches" in scores[vendor_a.pk].detail
    assert scores[vendor_b.pk].score is None


def test_past_performance_looks_back_twelve_months_only(vendor_a, service, availability):
    do_record_measurement(
        service, metric_id=availability.pk, period_start="2026-01-01", value=D("90"), acting_user=SYSTEM
    )
    assert past_performance([vendor_a.pk], None, datetime.date(2026, 12, 31))[vendor_a.pk].score is not None
    assert past_performance([vendor_a.pk], None, datetime.date(2027, 1, 1))[vendor_a.pk].score is None


def test_dashboard_cards_count_what_needs_attention(manager, vendor_a, vendor_b_user):
    today = datetime.date.today()
    start = today.replace(day=1) - datetime.timedelta(days=200)
    ops = make_engagement(vendor_a, start_date=start)
    # notice deadline in 10 days: the decision is due
    make_agreement(ops, start_date=start, end_date=today + datetime.timedelta(days=40), notice_period_days=30)
    metric = do_save_metric(
        None, engagement=ops, acting_user=SYSTEM, changes={"name": "Uptime", "unit": "%", "target": D(99)}
    )
    do_record_measurement(
        ops, metric_id=metric.pk, period_start=last_full_month(today), value=D(90), acting_user=SYSTEM
    )
    dev = make_engagement(vendor_a, form="contracting_out")
    Deliverable.objects.create(engagement=dev, title="late", due_date=today - datetime.timedelta(days=1))
    Deliverable.objects.create(engagement=dev, title="later", due_date=today - datetime.timedelta(days=2))
    counts = {card.title: card.count for card in dashboard_cards(manager)}
    assert counts == {
        "Agreement decisions due": 1,
        "Engagements with late deliverables": 1,  # engagements, as the list the card links to shows
        "Engagements with SLA breaches last month": 1,
        "Engagements blocked from activation": 0,
        "Active engagements with open issues": 0,
    }
    others = {card.title: card.count for card in dashboard_cards(vendor_b_user)}
    assert set(others.values()) == {0}
