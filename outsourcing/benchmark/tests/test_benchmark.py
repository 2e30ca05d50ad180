"""The benchmark's data generator: realistic, reproducible portfolios, and never on a database with real data."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db.models import Count

from outsourcing.benchmark.management.commands import benchmark
from outsourcing.engagements.calc import evaluate
from outsourcing.engagements.models_sla import Measurement
from outsourcing.performance.models import Appraisal, ImplementationReport
from outsourcing.performance.services import standing_for
from outsourcing.teams.choices import EmploymentType
from outsourcing.teams.models import TeamAssignment, TeamMember
from outsourcing.vendors.models import Vendor

AS_OF = datetime.date(2026, 6, 15)
TINY = benchmark.Sizes(vendors=12, members=400, measurements=900, seed=7)


@pytest.fixture
def portfolio(db: Any) -> benchmark.Portfolio:
    return benchmark.generate(TINY, as_of=AS_OF, log=lambda _line: None)


def test_spread_adds_up_and_puts_most_people_with_a_few_vendors() -> None:
    sizes = benchmark.spread(1000, 10)
    assert sum(sizes) == 1000
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > 3 * sizes[-1]
    assert benchmark.spread(5, 0) == []


def test_generates_the_requested_sizes(portfolio: benchmark.Portfolio) -> None:
    assert Vendor.objects.count() == 12
    assert TeamMember.objects.count() == 400
    assert Measurement.objects.count() == 900
    assert portfolio.big_vendor_id == portfolio.vendor_ids[0]
    assert TeamAssignment.objects.filter(engagement_id=portfolio.engagement_id).exists()
    reports = list(ImplementationReport.objects.select_related("engagement__report_schedule"))
    assert reports and all(r.due_date < AS_OF for r in reports)
    assert all(r.period_start >= r.engagement.report_schedule.first_period_start for r in reports)


def test_staff_are_spread_unevenly_with_the_first_vendor_the_largest(portfolio: benchmark.Portfolio) -> None:
    per_vendor = dict(TeamMember.objects.values_list("vendor_id").annotate(n=Count("pk")).order_by())
    assert per_vendor[portfolio.big_vendor_id] == max(per_vendor.values())
    assert per_vendor[portfolio.big_vendor_id] > 3 * min(per_vendor.values())


def test_staff_dates_and_employment_types_are_realistic(portfolio: benchmark.Portfolio) -> None:
    people = list(TeamMember.objects.all())
    assert all(p.left_date is None or p.left_date > p.hire_date for p in people)
    assert all(p.left_date is None or p.left_date <= AS_OF for p in people)
    assert all(p.probation_end_date is None or p.probation_end_date >= p.hire_date for p in people)
    assert all(p.hire_date <= AS_OF for p in people)
    left = sum(p.left_date is not None for p in people)
    assert 0.1 * len(people) < left < 0.5 * len(people)
    types = {p.employment_type for p in people}
    assert EmploymentType.REGULAR in types and len(types) >= 3
    regular = sum(p.employment_type == EmploymentType.REGULAR for p in people)
    assert regular > 0.6 * len(people)


def test_measurements_carry_the_figures_the_app_derives_on_save(portfolio: benchmark.Portfolio) -> None:
    measurements = list(Measurement.objects.select_related("metric")[:300])
    assert any(m.breached for m in measurements) and not all(m.breached for m in measurements)
    for m in measurements:
        expected = evaluate(m.metric.target, m.metric.higher_is_better, m.value)
        assert m.shortfall == expected.shortfall
        assert m.breached == expected.breached
        assert m.attainment == expected.attainment.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def test_measurements_lie_within_their_engagements_agreement(portfolio: benchmark.Portfolio) -> None:
    for m in Measurement.objects.select_related("metric__engagement__agreement")[:200]:
        agreement = m.metric.engagement.agreement
        assert agreement.start_date <= m.period_start <= agreement.end_date
        assert m.period_start.day == 1
        assert m.period_start < AS_OF.replace(day=1)


def test_appraisal_standing_follows_the_total(portfolio: benchmark.Portfolio) -> None:
    appraisals = list(Appraisal.objects.all())
    assert appraisals
    assert all(a.standing == standing_for(a.total) for a in appraisals)


def test_generation_writes_no_audit_entries(portfolio: benchmark.Portfolio) -> None:
    assert not LogEntry.objects.exists()


def test_refuses_a_database_with_data_it_did_not_make(vendor_a: Vendor) -> None:
    assert "vendors" in benchmark.foreign_data()
    with pytest.raises(CommandError, match="refusing"):
        call_command("benchmark", "--quick", "--generate-only")
    assert Vendor.objects.count() == 1


def test_refuses_a_database_with_real_users(manager: Any) -> None:
    assert benchmark.foreign_data() == ["users"]


def test_reuses_its_own_data_and_times_every_operation(portfolio: benchmark.Portfolio) -> None:
    assert benchmark.foreign_data() == []
    again = benchmark.existing_portfolio()
    assert again is not None and again.engagement_id == portfolio.engagement_id
    results = benchmark.run_timings(again, repeat=1, log=lambda _line: None, import_rows=40)
    labels = [r.label for r in results]
    assert "Vendor CSV export (all, streamed)" in labels
    assert "Criterion team_stability, all vendors" in labels
    assert all(r.max_ms >= r.median_ms for r in results)
    assert all(r.queries > 0 for r in results if not r.label.startswith(("Roster import", "Portfolio")))
    with_floor = {r.label: r for r in results if r.floor_ms is not None}
    assert {"Vendor list, first page", "Portfolio team stability, all vendors"} <= set(with_floor)
    assert "Roster import, 40 new people (CSV, audited)" in with_floor
    assert all(r.ratio is not None and r.ratio > 0 for r in with_floor.values())
    text = benchmark.table(results)
    assert "| Dashboard (manager) |" in text and "≤ 2×" in text and "≤ 3×" in text
    # The import's people and audit entries (and the floor's) are removed again: the portfolio is unchanged.
    assert not Vendor.objects.filter(registration_number__startswith=benchmark.IMPORT_PREFIX).exists()
    assert TeamMember.objects.count() == 400


def test_floors_give_the_same_result_as_the_application(portfolio: benchmark.Portfolio) -> None:
    """Honest floors: the hand-written SQL answers exactly what the application computes or shows."""
    from outsourcing.benchmark import floors
    from outsourcing.teams.stability import stability_for_vendors
    from outsourcing.vendors.queries import filter_vendors

    start, end = datetime.date(2025, 6, 15), AS_OF
    figures = stability_for_vendors(portfolio.vendor_ids, start, end)
    rows = floors.stability(start, end)
    assert len(rows) == len([v for v, f in figures.items() if f.retention[0]["survival"] is not None])
    assert floors.check_stability(rows, figures) == []
    page = floors.vendor_page(0)
    assert [r[0] for r in page] == list(filter_vendors(Vendor.objects.all()).values_list("pk", flat=True)[:25])
    assert page[0][-1] == Vendor.objects.count()
    approved = floors.vendor_page(0, status="approved", q="Technology", newest_first=True)
    expected = filter_vendors(Vendor.objects.all(), q="Technology", status="approved", sort="-created")
    assert [r[0] for r in approved] == list(expected.values_list("pk", flat=True)[:25])
    from outsourcing.core.pickers import matching

    picked = matching(Vendor.objects.order_by("name", "pk"), "Technology")[:20]
    assert [r[0] for r in floors.vendor_options("Technology")] == [v.pk for v in picked]


def test_the_results_replace_the_last_run_of_the_same_database(tmp_path: Any) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nprose\n", encoding="utf-8")
    benchmark.write_section(path, "SQLite", "first\n")
    benchmark.write_section(path, "PostgreSQL", "pg\n")
    benchmark.write_section(path, "SQLite", "second\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nprose\n") and "first" not in text
    assert text.index("second") < text.index("pg")
