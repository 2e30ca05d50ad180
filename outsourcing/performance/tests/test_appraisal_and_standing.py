"""Appraisal scores, standings at their thresholds, the long-term mean and the blocker it raises."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from outsourcing.core import registry
from outsourcing.core.registry import CriterionScore, VendorCriterion
from outsourcing.performance import actions
from outsourcing.performance.contributions import standing_blockers
from outsourcing.performance.models import Appraisal
from outsourcing.performance.services import long_term, score, standing_for

D = datetime.date


@pytest.mark.parametrize(
    ("total", "standing"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("75", "good"),
        ("74.99", "watch"),
        ("60", "watch"),
        ("59.99", "probation"),
        ("40", "probation"),
        ("39.99", "blocked"),
        ("0", "blocked"),
    ],
)
def test_standing_thresholds(total, standing):
    assert standing_for(Decimal(total)) == standing


def test_the_score_is_a_weighted_mean_and_missing_dimensions_share_out_their_weight():
    result = score(
        {
            "quality": Decimal("90"),
            "inspection": Decimal("80"),
            "timeliness": Decimal("50"),
            "stability": Decimal("70"),
        },
        {},
    )
    assert result.total == Decimal("76.00")  # (90×40 + 80×20 + 50×20 + 70×20) / 100
    partial = score({"quality": Decimal("90"), "inspection": Decimal("60"), "timeliness": None, "stability": None}, {})
    assert partial.total == Decimal("80.00")  # (90×40 + 60×20) / 60
    assert [line["effective_weight"] for line in partial.explanation] == ["0.6667", "0.3333", "0", "0"]


def test_no_data_at_all_is_an_error():
    with pytest.raises(ValueError, match="no dimension"):
        score({"quality": None, "inspection": None, "timeliness": None, "stability": None}, {})


@pytest.fixture
def sla_criterion():
    criterion = VendorCriterion(
        "past_performance", "SLA", lambda ids, e, d: {i: CriterionScore(95.0, "SLA met") for i in ids}
    )
    previous = registry.vendor_criteria.get("past_performance")
    registry.vendor_criteria["past_performance"] = criterion
    yield criterion
    if previous is None:
        registry.vendor_criteria.pop("past_performance")
    else:
        registry.vendor_criteria["past_performance"] = previous


@pytest.mark.django_db
def test_an_appraisal_takes_the_systems_figures_and_explains_them(vendor_a, manager, sla_criterion, monkeypatch):
    monkeypatch.delitem(registry.vendor_criteria, "team_stability", raising=False)
    appraisal = actions.do_appraise(
        vendor_a, acting_user=manager, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31), inspection=Decimal("65")
    )
    assert appraisal.quality == Decimal("95.00")
    assert appraisal.stability is None
    assert appraisal.total == Decimal("85.00")  # (95×40 + 65×20) / 60
    assert appraisal.standing == "good"
    assert appraisal.explanation[0]["detail"] == "SLA met"


@pytest.mark.django_db
def test_an_appraisal_without_any_figure_asks_for_the_inspection_score(vendor_a, manager, monkeypatch):
    for code in ("past_performance", "team_stability"):
        monkeypatch.delitem(registry.vendor_criteria, code, raising=False)
    with pytest.raises(ValidationError) as caught:
        actions.do_appraise(vendor_a, acting_user=manager, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31))
    assert "inspection" in caught.value.message_dict
    assert not Appraisal.objects.exists()


def _appraisal(vendor, end, total):
    return Appraisal.objects.create(
        vendor=vendor,
        period_start=end.replace(day=1),
        period_end=end,
        total=Decimal(total),
        standing=standing_for(Decimal(total)),
    )


@pytest.mark.django_db
def test_the_long_term_standing_is_the_mean_over_twelve_months(vendor_a, vendor_b):
    _appraisal(vendor_a, D(2025, 11, 30), "10")  # exactly 12 months before: outside the horizon
    _appraisal(vendor_a, D(2026, 6, 30), "50")
    _appraisal(vendor_a, D(2026, 11, 30), "30")
    _appraisal(vendor_b, D(2026, 11, 30), "95")
    figures = long_term([vendor_a.pk, vendor_b.pk], D(2026, 11, 30))
    assert figures[vendor_a.pk] == (Decimal("40.00"), "probation", 2)
    assert figures[vendor_b.pk] == (Decimal("95.00"), "excellent", 1)


@pytest.mark.django_db
def test_probation_or_blocked_stops_the_vendor_from_being_chosen(vendor_a, vendor_b):
    today = datetime.date.today()
    _appraisal(vendor_a, today, "35")
    _appraisal(vendor_b, today, "61")
    found = standing_blockers([vendor_a, vendor_b], None, today)
    assert [b.code for b in found[vendor_a.pk]] == ["standing_blocked"]
    assert found[vendor_b.pk] == []


@pytest.mark.django_db
def test_timeliness_is_the_on_time_share_to_the_cent(engagement_a, manager, vendor_a):
    from outsourcing.performance.services import timeliness_score

    actions.do_set_schedule(
        engagement_a, acting_user=manager, frequency="monthly", first_period_start=D(2026, 1, 1), due_days=10
    )
    for month, day in ((1, 5), (2, 5), (3, 25)):  # Jan and Feb reports on time, March's late (due April 10)
        actions.do_submit_report(
            engagement_a,
            acting_user=manager,
            period_start=D(2026, month, 1),
            received_at=datetime.datetime(2026, month + 1, day, 2, tzinfo=datetime.UTC),
            project_management="x",
            appraisal_execution="y",
        )
    share, detail = timeliness_score(vendor_a.pk, D(2026, 2, 1), D(2026, 4, 30))
    assert share == Decimal("66.67")
    assert detail == "2 of 3 reports due in the period came on time"
