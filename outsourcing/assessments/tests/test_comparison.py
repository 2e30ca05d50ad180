"""Choosing a vendor: candidates side by side on every registered criterion, weighted by typed weights or
by AHP (an inconsistent matrix is refused with an explanation), flagged when blocked, exported."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from outsourcing.assessments.comparison import compare, criterion_codes
from outsourcing.core import registry
from outsourcing.core.registry import CriterionScore, VendorCriterion
from outsourcing.vendors.models import Vendor
from outsourcing.vendors.registration import unified_social_credit_code as uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_fake_criteria(fake_fit):  # type: ignore[no-untyped-def]
    """Compare on exactly two criteria: fake_fit and fake_past (assessment_score set aside for the test)."""
    saved = dict(registry.vendor_criteria)
    past: dict[int, float | None] = {}
    registry.vendor_criteria.clear()
    registry.vendor_criteria["fake_fit"] = saved["fake_fit"]
    registry.register_vendor_criterion(
        VendorCriterion(
            "fake_past",
            "Fake past performance",
            lambda ids, e, d: {v: CriterionScore(past.get(v), "past") for v in ids},
        )
    )
    yield fake_fit, past
    registry.vendor_criteria.clear()
    registry.vendor_criteria.update(saved)


def test_the_registered_criteria_come_in_the_preferred_order(fake_fit) -> None:  # type: ignore[no-untyped-def]
    assert criterion_codes()[0] == "assessment_score"
    assert "fake_fit" in criterion_codes()


def test_typed_weights_are_normalised_and_rank_the_vendors(  # type: ignore[no-untyped-def]
    manager, vendor_a, vendor_b, engagement_a, only_fake_criteria
) -> None:
    fit, past = only_fake_criteria
    fit.update({vendor_a.pk: 90, vendor_b.pk: 50})
    past.update({vendor_a.pk: 40, vendor_b.pk: 100})
    table = compare(manager, engagement_a, [vendor_a.pk, vendor_b.pk], weights={"fake_fit": 3, "fake_past": 1})
    assert table.weights == {"fake_fit": 0.75, "fake_past": 0.25}
    by_vendor = {r.vendor.pk: r for r in table.rows}
    assert by_vendor[vendor_a.pk].total == pytest.approx(77.5)  # 0.75×90 + 0.25×40
    assert by_vendor[vendor_b.pk].total == pytest.approx(62.5)  # 0.75×50 + 0.25×100
    assert [r.vendor.pk for r in table.rows] == [vendor_a.pk, vendor_b.pk]
    assert by_vendor[vendor_a.pk].contributions["fake_fit"] == pytest.approx(67.5)


def test_no_data_is_left_out_not_scored_zero(manager, vendor_a, engagement_a, only_fake_criteria) -> None:  # type: ignore[no-untyped-def]
    fit, _past = only_fake_criteria
    fit[vendor_a.pk] = 80
    row = compare(manager, engagement_a, [vendor_a.pk]).rows[0]
    assert row.scores["fake_past"].score is None
    assert row.total == pytest.approx(80.0)  # 0.5×80 / 0.5: the unknown criterion is not a 0
    assert row.coverage == pytest.approx(0.5)
    assert not row.insufficient_data  # exactly one half is enough


def test_ahp_weights_are_used_when_consistent(manager, vendor_a, engagement_a, only_fake_criteria) -> None:  # type: ignore[no-untyped-def]
    fit, past = only_fake_criteria
    fit[vendor_a.pk], past[vendor_a.pk] = 100, 0
    table = compare(manager, engagement_a, [vendor_a.pk], ahp=(["fake_fit", "fake_past"], [[1, 4], [0.25, 1]]))
    assert table.weights["fake_fit"] == pytest.approx(0.8)
    assert table.rows[0].total == pytest.approx(80.0)


def test_an_inconsistent_ahp_matrix_is_refused_with_an_explanation(api, manager, vendor_a, engagement_a) -> None:  # type: ignore[no-untyped-def]
    codes = criterion_codes()
    assert len(codes) >= 1
    # Three criteria are needed for inconsistency: register two fakes beside assessment_score.
    registry.register_vendor_criterion(VendorCriterion("fake_x", "X", lambda ids, e, d: {}))
    registry.register_vendor_criterion(VendorCriterion("fake_y", "Y", lambda ids, e, d: {}))
    try:
        response = api(manager).post(
            "/scoring/compare",
            {
                "engagement_id": engagement_a.pk,
                "vendor_ids": [vendor_a.pk],
                "ahp": {
                    "criteria": ["assessment_score", "fake_x", "fake_y"],
                    "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
                },
            },
        )
    finally:
        registry.vendor_criteria.pop("fake_x")
        registry.vendor_criteria.pop("fake_y")
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "matrix"
    assert "inconsistent" in detail["msg"] and "0.10" in detail["msg"]


def test_blocked_and_suspended_vendors_are_flagged(manager, vendor_a, engagement_a, fake_blockers) -> None:  # type: ignore[no-untyped-def]
    blocked = Vendor.objects.create(name="Sakura", registration_number="JP-1", country="JP", status="blocked")
    fake_blockers[vendor_a.pk] = "ISO 27001 missing"
    rows = {r.vendor.pk: r for r in compare(manager, engagement_a, [vendor_a.pk, blocked.pk]).rows}
    assert rows[blocked.pk].flags == ["The vendor is blocked: it may not be chosen for new work."]
    assert rows[vendor_a.pk].flags == ["ISO 27001 missing"]


def test_unknown_vendors_and_weights_are_refused_naming_the_field(api, manager, engagement_a, vendor_a) -> None:  # type: ignore[no-untyped-def]
    client = api(manager)
    response = client.post("/scoring/compare", {"engagement_id": engagement_a.pk, "vendor_ids": [999999]})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "vendor_ids"
    response = client.post(
        "/scoring/compare",
        {"engagement_id": engagement_a.pk, "vendor_ids": [vendor_a.pk], "weights": {"nope": 1}},
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "weights"


def test_the_api_answers_with_the_breakdown(api, manager, vendor_a, engagement_a, only_fake_criteria) -> None:  # type: ignore[no-untyped-def]
    fit, _past = only_fake_criteria
    fit[vendor_a.pk] = 70
    body = (
        api(manager)
        .post(
            "/scoring/compare",
            {"engagement_id": engagement_a.pk, "vendor_ids": [vendor_a.pk], "weights": {"fake_fit": 1}},
        )
        .json()
    )
    row = body["rows"][0]
    assert row["total"] == pytest.approx(70.0)
    assert row["criteria"]["fake_fit"] == {
        "score": 70,
        "detail": f"fake score of {vendor_a.pk}",
        "contribution": 70.0,
    }
    assert row["criteria"]["fake_past"]["score"] is None


def test_vendors_cannot_compare_but_auditors_may_read_it(api, vendor_a_user, auditor, engagement_a, vendor_a) -> None:  # type: ignore[no-untyped-def]
    payload = {"engagement_id": engagement_a.pk, "vendor_ids": [vendor_a.pk]}
    assert api(vendor_a_user).post("/scoring/compare", payload).status_code == 404
    assert api(auditor).post("/scoring/compare", payload).status_code == 200  # reading is not changing


def test_the_comparison_page_and_its_exports(
    web, manager, vendor_a, vendor_b, engagement_a, only_fake_criteria
) -> None:  # type: ignore[no-untyped-def]
    fit, _past = only_fake_criteria
    fit.update({vendor_a.pk: 90, vendor_b.pk: 50})
    client = web(manager)
    query = (
        f"engagement={engagement_a.pk}&vendors={vendor_a.pk}&vendors={vendor_b.pk}"
        "&mode=typed&w_fake_fit=2&w_fake_past=1"
    )
    page = client.get(f"/assessments/compare/?{query}").content.decode()
    assert "Weighted total" in page and vendor_b.name in page
    assert "90.00" in page and "67 %" in page  # vendor a: 2/3 × 90 ÷ 2/3 (no data on past), coverage 2/3
    xlsx = client.get(f"/assessments/compare/export.xlsx?{query}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[1] == vendor_a.name and row[0] == 1 for row in values if row and len(row) > 1)
    pdf = client.get(f"/assessments/compare/export.pdf?{query}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"


def test_the_page_refuses_an_inconsistent_matrix_with_an_explanation(web, manager, vendor_a, engagement_a) -> None:  # type: ignore[no-untyped-def]
    registry.register_vendor_criterion(VendorCriterion("fake_x", "X", lambda ids, e, d: {}))
    registry.register_vendor_criterion(VendorCriterion("fake_y", "Y", lambda ids, e, d: {}))
    try:
        codes = criterion_codes()
        index = {c: i for i, c in enumerate(codes)}
        cells = {
            (index["assessment_score"], index["fake_x"]): "9",
            (index["fake_x"], index["fake_y"]): "9",
            (index["assessment_score"], index["fake_y"]): "1/9",
        }
        params = "&".join(f"m_{min(i, j)}_{max(i, j)}={v if i < j else '1/' + v}" for (i, j), v in cells.items())
        page = (
            web(manager)
            .get(f"/assessments/compare/?engagement={engagement_a.pk}&vendors={vendor_a.pk}&mode=ahp&{params}")
            .content.decode()
        )
    finally:
        registry.vendor_criteria.pop("fake_x")
        registry.vendor_criteria.pop("fake_y")
    assert "inconsistent" in page
    assert "Weighted total" not in page


def test_the_pdf_survives_markup_characters_and_chinese(manager, engagement_a) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.assessments.comparison import to_pdf

    odd = Vendor.objects.create(
        name="<华信> & Sons", registration_number=uscc("91440000MA0000X01"), country="CN", status="suspended"
    )
    registry.register_vendor_criterion(
        VendorCriterion("fake_x", "X & <Y>", lambda ids, e, d: {i: CriterionScore(50, "a < b & c") for i in ids})
    )
    try:
        pdf = to_pdf(compare(manager, engagement_a, [odd.pk]))
    finally:
        registry.vendor_criteria.pop("fake_x")
    assert pdf.startswith(b"%PDF")
