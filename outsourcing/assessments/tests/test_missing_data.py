"""Missing data is not zero (SPEC): a criterion without data is left out of the weighted total, coverage says
how much of the weight is known, and below one half a candidate gets "insufficient data" and ranks last."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from outsourcing.assessments.comparison import compare, weighted_total
from outsourcing.core import registry
from outsourcing.core.registry import CriterionScore, VendorCriterion
from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db

CODES = ["c_quality", "c_price", "c_staff", "c_history"]


@pytest.fixture
def four_criteria():  # type: ignore[no-untyped-def]
    """Compare on exactly four criteria whose scores the test sets: {code: {vendor id: score or None}}."""
    saved = dict(registry.vendor_criteria)
    scores: dict[str, dict[int, float | None]] = {c: {} for c in CODES}
    registry.vendor_criteria.clear()
    for code in CODES:
        registry.register_vendor_criterion(
            VendorCriterion(
                code,
                code.title(),
                lambda ids, e, d, code=code: {
                    v: CriterionScore(scores[code].get(v), "no roster" if scores[code].get(v) is None else "ok")
                    for v in ids
                },
            )
        )
    yield scores
    registry.vendor_criteria.clear()
    registry.vendor_criteria.update(saved)


WEIGHTS = {"c_quality": 4, "c_price": 3, "c_staff": 2, "c_history": 1}


def test_a_candidate_missing_two_criteria_gets_the_renormalised_total_and_its_coverage(  # type: ignore[no-untyped-def]
    manager, vendor_a, vendor_b, engagement_a, four_criteria
) -> None:
    four_criteria["c_quality"].update({vendor_a.pk: 90, vendor_b.pk: 70})
    four_criteria["c_price"].update({vendor_a.pk: 60, vendor_b.pk: 80})
    four_criteria["c_staff"].update({vendor_a.pk: None, vendor_b.pk: 50})  # A: no roster yet
    four_criteria["c_history"].update({vendor_a.pk: None, vendor_b.pk: 100})  # A: no past engagement
    table = compare(manager, engagement_a, [vendor_a.pk, vendor_b.pk], weights=WEIGHTS)
    a, b = (next(r for r in table.rows if r.vendor.pk == pk) for pk in (vendor_a.pk, vendor_b.pk))
    # A: (0.4×90 + 0.3×60) / (0.4 + 0.3) = 54 / 0.7 = 77.142857…; before, the unknowns counted 0: 54.
    assert a.total == pytest.approx(54 / 0.7)
    assert a.coverage == pytest.approx(0.7)
    assert a.scores["c_staff"].score is None and a.contributions["c_staff"] == 0
    assert sum(a.contributions.values()) == pytest.approx(a.total)
    # B has every criterion: 0.4×70 + 0.3×80 + 0.2×50 + 0.1×100 = 72
    assert b.total == pytest.approx(72.0) and b.coverage == pytest.approx(1.0)
    assert [r.vendor.pk for r in table.rows] == [vendor_a.pk, vendor_b.pk]
    assert not a.insufficient_data and a.recommended


def test_below_half_coverage_is_insufficient_data_and_ranks_after_every_candidate_with_a_recommendation(  # type: ignore[no-untyped-def]
    manager, vendor_a, vendor_b, engagement_a, four_criteria
) -> None:
    four_criteria["c_quality"].update({vendor_a.pk: 100, vendor_b.pk: 40})
    four_criteria["c_price"].update({vendor_b.pk: 40})
    four_criteria["c_staff"].update({vendor_b.pk: 40})
    four_criteria["c_history"].update({vendor_b.pk: 40})
    table = compare(manager, engagement_a, [vendor_a.pk, vendor_b.pk], weights=WEIGHTS)
    a = next(r for r in table.rows if r.vendor.pk == vendor_a.pk)
    assert a.total == pytest.approx(100.0) and a.coverage == pytest.approx(0.4)
    assert a.insufficient_data and not a.recommended
    assert [(r.rank, r.vendor.pk) for r in table.rows] == [(1, vendor_b.pk), (2, vendor_a.pk)]


def test_no_data_at_all_gives_a_null_total(manager, vendor_a, engagement_a, four_criteria) -> None:  # type: ignore[no-untyped-def]
    row = compare(manager, engagement_a, [vendor_a.pk]).rows[0]
    assert row.total is None and row.coverage == 0 and row.insufficient_data


@pytest.mark.parametrize(
    ("scores", "total", "coverage"),
    [
        ({"a": 80, "b": None}, 80.0, 0.5),
        ({"a": None, "b": None}, None, 0.0),
        ({"a": 0, "b": None}, 0.0, 0.5),  # a real 0 is data
        ({"a": 100, "b": 50}, 75.0, 1.0),
    ],
)
def test_weighted_total_at_its_edges(scores, total, coverage) -> None:  # type: ignore[no-untyped-def]
    got_total, got_coverage, _parts = weighted_total({"a": 0.5, "b": 0.5}, scores)
    assert got_total == (pytest.approx(total) if total is not None else None)
    assert got_coverage == pytest.approx(coverage)


def test_the_api_answers_the_spec_shape(api, manager, vendor_a, vendor_b, engagement_a, four_criteria) -> None:  # type: ignore[no-untyped-def]
    four_criteria["c_quality"].update({vendor_a.pk: 90, vendor_b.pk: 70})
    four_criteria["c_price"].update({vendor_b.pk: 80})
    response = api(manager).post(
        "/scoring/compare",
        {"engagement_id": engagement_a.pk, "vendor_ids": [vendor_a.pk, vendor_b.pk], "weights": WEIGHTS},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert {c["code"]: c["weight"] for c in body["criteria"]} == pytest.approx(
        {"c_quality": 0.4, "c_price": 0.3, "c_staff": 0.2, "c_history": 0.1}
    )
    first, second = body["rows"]
    assert (first["rank"], first["vendor_id"]) == (1, vendor_b.pk)
    assert first["total"] == pytest.approx((0.4 * 70 + 0.3 * 80) / 0.7)
    assert first["coverage"] == pytest.approx(0.7) and first["insufficient_data"] is False
    assert (second["rank"], second["vendor_id"]) == (2, vendor_a.pk)
    assert second["coverage"] == pytest.approx(0.4) and second["insufficient_data"] is True
    assert second["criteria"]["c_staff"]["score"] is None
    assert second["criteria"]["c_quality"]["score"] == 90


def test_page_and_exports_say_no_data_and_show_coverage_beside_every_total(  # type: ignore[no-untyped-def]
    client, manager, vendor_a, vendor_b, engagement_a, four_criteria
) -> None:
    four_criteria["c_quality"].update({vendor_a.pk: 90, vendor_b.pk: 70})
    four_criteria["c_price"].update({vendor_a.pk: 60, vendor_b.pk: 80})
    four_criteria["c_staff"].update({vendor_b.pk: 50})
    four_criteria["c_history"].update({vendor_b.pk: 100})
    client.force_login(manager)
    query = (
        f"?engagement={engagement_a.pk}&vendors={vendor_a.pk}&vendors={vendor_b.pk}"
        "&w_c_quality=4&w_c_price=3&w_c_staff=2&w_c_history=1"
    )
    page = client.get("/assessments/compare/" + query).content.decode()
    assert "no data" in page and "70 %" in page and "100 %" in page
    workbook = load_workbook(io.BytesIO(client.get("/assessments/compare/export.xlsx" + query).content))
    cells = [c for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Coverage (%)" in cells and "no data" in cells and 70 in cells
    pdf = client.get("/assessments/compare/export.pdf" + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_vendor_fixture_is_chinese_with_a_valid_code(vendor_a) -> None:  # type: ignore[no-untyped-def]
    vendor_a.full_clean()
    assert isinstance(vendor_a, Vendor)
