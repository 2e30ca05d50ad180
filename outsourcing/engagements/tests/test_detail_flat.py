"""The engagement detail page reads a year of SLA periods at a time and its charts only their last periods: the
page costs the same queries with three months of one metric as with three years of three metrics."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

import outsourcing.urls  # noqa: F401  # the API's schemas are built before any clock is frozen
from outsourcing.core.access import SYSTEM
from outsourcing.engagements.actions import do_save_metric
from outsourcing.engagements.models import Measurement, SlaMetric
from outsourcing.engagements.reports import attainment_charts, measurement_gaps, sla_report

from .conftest import make_agreement, make_engagement

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = "2026-01-15 04:00:00"  # noon in Shanghai


def _months(first: datetime.date, count: int) -> list[datetime.date]:
    return [D(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1) for k in range(count)]


def _measured(vendor: Any, metrics: int, months: int, missing: tuple[datetime.date, ...] = ()) -> Any:
    engagement = make_engagement(vendor)
    make_agreement(engagement, start_date=D(2023, 1, 1), end_date=D(2026, 12, 31))
    rows = []
    for n in range(metrics):
        metric = do_save_metric(
            None,
            engagement=engagement,
            acting_user=SYSTEM,
            changes={"name": f"Availability {n}", "unit": "%", "target": Decimal("99.9"), "higher_is_better": True},
            bands=[(Decimal("0.1"), Decimal(5))],
        )
        for k, start in enumerate(_months(D(2023, 1, 1), 36)[-months:]):
            if start in missing:
                continue
            measurement = Measurement(
                metric=metric, period_start=start, value=Decimal("99.95") if k % 5 else Decimal(99)
            )
            measurement.derive()
            rows.append(measurement)
    Measurement.objects.bulk_create(rows)
    return engagement


def _get(client: Any, engagement: Any, **params: Any) -> tuple[int, Any]:
    with freeze_time(TODAY), CaptureQueriesContext(connection) as captured:
        response = client.get(f"/engagements/{engagement.pk}/", params)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_detail_page_costs_the_same_queries_for_a_short_and_a_long_history(
    client: Any, manager: Any, vendor_a: Any
) -> None:
    short = _measured(vendor_a, metrics=1, months=3)
    long = _measured(vendor_a, metrics=3, months=36, missing=(D(2024, 6, 1),))
    client.force_login(manager)
    _get(client, short)  # the content types are cached once per process
    few, _ = _get(client, short)
    many, page = _get(client, long)
    assert many <= few
    assert page.context["gap_count"] == 3  # June 2024 of each metric: the card counts the whole history
    assert len(page.context["periods"]) == 12  # a year of periods, not three


def test_a_year_of_periods_a_page_and_every_period_on_one_of_them(client: Any, manager: Any, vendor_a: Any) -> None:
    engagement = _measured(vendor_a, metrics=1, months=36, missing=(D(2024, 6, 1),))
    client.force_login(manager)
    seen = []
    for number in (1, 2, 3, 4):
        _n, response = _get(client, engagement, sla_page=number)
        starts = [p.period_start for p in response.context["periods"]]
        body = response.content.decode()
        assert ("A year earlier" in body) == (number < 3), number
        assert ("A year later" in body) == (number > 1), number
        assert response.context["last_period"].period_start == D(2025, 12, 1)  # the card: the latest, on any page
        seen += starts
    assert sorted(seen) == _months(D(2023, 1, 1), 36)
    with freeze_time(TODAY):
        everything = sla_report(engagement, D(2026, 1, 15))
        gaps = measurement_gaps(engagement, D(2026, 1, 15))
        year = sla_report(engagement, D(2026, 1, 15), since=D(2024, 1, 1), before=D(2025, 1, 1), gaps=gaps)
    # A year read alone is that year of the whole report, line for line, with its gap.
    assert [(p.period_start, [line.measurement.pk for line in p.lines], [m.pk for m in p.gaps]) for p in year] == [
        (p.period_start, [line.measurement.pk for line in p.lines], [m.pk for m in p.gaps])
        for p in everything
        if D(2024, 1, 1) <= p.period_start < D(2025, 1, 1)
    ]
    assert next(p.gaps for p in year if p.period_start == D(2024, 6, 1))
    # The view's metrics (agreement selected, bands prefetched) give the same report as asking anew.
    metrics = list(
        SlaMetric.objects.filter(engagement=engagement)
        .select_related("engagement__agreement")
        .prefetch_related("bands")
    )
    with freeze_time(TODAY):
        given = sla_report(engagement, D(2026, 1, 15), metrics=metrics)

    def shape(report: Any) -> list[Any]:
        return [
            (p.period_start, p.fee, p.total, [(line.measurement.pk, line.credit) for line in p.lines], len(p.gaps))
            for p in report
        ]

    assert shape(given) == shape(everything) and any(p.total for p in given)


def test_the_chart_shows_the_last_twelve_periods_of_a_long_history(vendor_a: Any) -> None:
    engagement = _measured(vendor_a, metrics=1, months=36, missing=(D(2025, 6, 1),))
    (svg,) = attainment_charts(engagement, D(2026, 1, 15))
    assert "2025-01" in svg and "2025-12" in svg and "2024-12" not in svg
    assert "2025-06: no data" in svg
    short = _measured(vendor_a, metrics=1, months=3)
    (few,) = attainment_charts(short, D(2026, 1, 15))
    assert "2025-01: no data" in few and "2025-12" in few  # the last twelve periods, measured or not


def test_the_cards_speak_of_the_latest_period_even_when_it_is_over_a_year_old(
    client: Any, manager: Any, vendor_a: Any
) -> None:
    engagement = _measured(vendor_a, metrics=2, months=36)
    Measurement.objects.filter(metric__engagement=engagement, period_start__gte=D(2024, 7, 1)).delete()
    engagement.agreement.end_date = D(2024, 6, 30)  # ended: no period is owed after June 2024
    engagement.agreement.save()
    client.force_login(manager)
    with freeze_time(TODAY):
        everything = sla_report(engagement, D(2026, 1, 15))
    for number in (1, 2, 3):
        _n, response = _get(client, engagement, sla_page=number)
        last = response.context["last_period"]
        assert (last.period_start, [line.measurement.pk for line in last.lines]) == (
            everything[-1].period_start,
            [line.measurement.pk for line in everything[-1].lines],
        )
    _n, first = _get(client, engagement)
    assert first.context["periods"] == [] and "A year earlier" in first.content.decode()
