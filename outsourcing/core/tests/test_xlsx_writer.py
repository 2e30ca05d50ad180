"""Every XLSX export goes through one writer: numbers are numbers rounded once (core.numbers), dates are dates,
an empty value is an empty cell (never "" or a stray apostrophe), formula-like text stays text as typed, the
header row is frozen and every column has a width that fits its contents."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from outsourcing.core.exports import MAX_WIDTH, XlsxWriter
from outsourcing.vendors.models import Vendor


def _sheet(headers, rows, **kwargs):  # type: ignore[no-untyped-def]
    writer = XlsxWriter()
    writer.sheet("Test", headers, rows, **kwargs)
    return load_workbook(io.BytesIO(writer.save())).worksheets[0]


def test_values_keep_their_types_and_figures_are_rounded_once() -> None:
    moment = timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30, 5, 123456), datetime.UTC)
    sheet = _sheet(
        ["n", "f", "half", "d", "day", "moment", "text"],
        [[1200000, 64.515, 2.675, Decimal("12.50"), datetime.date(2026, 1, 2), moment, "华信"]],
    )
    n, f, half, d, day, at, text = sheet[2]
    assert (n.value, n.data_type, n.number_format) == (1200000, "n", "#,##0")
    # floats are taken by their shortest form and rounded half up: 64.515 → 64.52, 2.675 → 2.68 (not 2.67)
    assert (f.value, f.number_format) == (64.52, "#,##0.00")
    assert half.value == 2.68
    assert (d.value, d.number_format) == (12.5, "#,##0.00")  # a Decimal keeps its places
    assert day.is_date and day.value == datetime.datetime(2026, 1, 2) and day.number_format == "yyyy-mm-dd"
    # a moment in the owner's local time (Asia/Shanghai, UTC+8), without micro-seconds
    assert at.is_date and at.value == datetime.datetime(2026, 3, 2, 7, 30, 5)
    assert (text.value, text.data_type) == ("华信", "s")


def test_empty_stays_empty_and_formulas_stay_text() -> None:
    sheet = _sheet(["a", "b", "c", "d", "e"], [[None, "", "-", "=1+1", "＋1"]])
    a, b, c, d, e = sheet[2]
    assert a.value is None and b.value is None  # no "" and no "'" in an empty cell
    assert c.value == "-" and not c.quotePrefix  # a sign alone is not a formula
    assert (d.value, d.data_type, d.quotePrefix) == ("=1+1", "s", True)  # shown as typed, never run
    assert (e.value, e.quotePrefix) == ("＋1", True)
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_the_header_is_frozen_and_columns_fit_their_contents() -> None:
    sheet = _sheet(
        ["Name", "Code"],
        [["华信软件有限公司", "A"], ["x" * 200, "B"]],
        preamble=[["Engagement", "ENG-1"], ["As of", datetime.date(2026, 1, 1)]],
    )
    assert sheet.freeze_panes == "A4"  # below the two preamble lines and the header
    assert sheet["A3"].value == "Name" and sheet["A3"].font.b
    assert sheet.column_dimensions["A"].width == MAX_WIDTH  # capped, the long text wraps in the cell
    assert 12 <= sheet.column_dimensions["B"].width < 16  # the date in the preamble: 10 characters
    narrow = _sheet(["Name"], [["华信软件有限公司"]])
    assert narrow.column_dimensions["A"].width >= 16  # a Chinese character takes two columns
    labelled = _sheet(["#"], [[1]], preamble=[["Past performance (SLA attainment)", 20]])
    assert labelled.column_dimensions["A"].width >= len("Past performance (SLA attainment)")


@pytest.mark.django_db
def test_a_list_export_is_typed(web, manager, vendor_a) -> None:  # type: ignore[no-untyped-def]
    Vendor.objects.filter(pk=vendor_a.pk).update(english_name="", website="")
    response = web(manager).get("/vendors/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=False))
    created = [cell for cell in row.values() if cell.is_date]
    assert len(created) == 1 and created[0].value.date() == timezone.localdate(vendor_a.created_at)
    assert not [c.coordinate for c in sheet[2] if c.value in ("", "'")]
    assert all(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
