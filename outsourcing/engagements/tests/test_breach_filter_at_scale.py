"""The engagement list's "SLA breach last month" filter (the dashboard card's link): exactly the engagements
with a breached measurement in the last full month, found with one uncorrelated subquery (a correlated
EXISTS took 50 s on a million measurements) and a flat number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from outsourcing.engagements.models import Engagement
from outsourcing.engagements.models_sla import Measurement, SlaMetric
from outsourcing.engagements.reports import last_full_month

from .conftest import make_engagement

LAST = last_full_month(timezone.localdate())


def _measured(engagement: Engagement, period: Any, breached: bool) -> None:
    metric = SlaMetric.objects.create(engagement=engagement, name="Availability", unit="%", target=Decimal(99))
    Measurement.objects.create(
        metric=metric, period_start=period, value=Decimal(95 if breached else 100), breached=breached
    )


def _listed(client: Any) -> set[int]:
    response = client.get(reverse("engagements:list"), {"issue": "breach"})
    assert response.status_code == 200
    return {e.pk for e in response.context["listing"].page}


def test_lists_only_breaches_of_the_last_full_month(web: Any, manager: Any, vendor_a: Any) -> None:
    breached = make_engagement(vendor_a, title="Breached last month")
    met = make_engagement(vendor_a, title="Met last month")
    earlier = make_engagement(vendor_a, title="Breached the month before")
    _measured(breached, LAST, True)
    _measured(met, LAST, False)
    _measured(earlier, LAST - relativedelta(months=1), True)
    assert _listed(web(manager)) == {breached.pk}


def test_breach_filter_costs_the_same_queries_for_many_engagements(
    web: Any, manager: Any, vendor_a: Any, django_assert_max_num_queries: Any
) -> None:
    client = web(manager)
    _measured(make_engagement(vendor_a, title="One"), LAST, True)
    with django_assert_max_num_queries(8) as one:
        assert len(_listed(client)) == 1
    for i in range(20):
        _measured(make_engagement(vendor_a, title=f"More {i}"), LAST, True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(_listed(client)) == 21
