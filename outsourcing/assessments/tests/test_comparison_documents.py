"""The comparison's PDF and XLSX are documents a manager can send on: the PDF's fonts travel inside it (Chinese
and Latin), its text reads as written ("Vendor", never "V endor"), it names the engagement, the date and how the
weights came about in words; the XLSX holds typed, rounded numbers and dates."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.utils import translation
from openpyxl import load_workbook

from outsourcing.assessments.comparison import compare, criterion_codes, to_pdf, to_xlsx
from outsourcing.core import pdf as pdf_fonts

pytestmark = pytest.mark.django_db

needs_font = pytest.mark.skipif(
    pdf_fonts.font_files()[0] is None, reason="fonts-noto-cjk is not installed (.ci/run installs it)"
)


def _fonts(document: bytes) -> dict[str, dict[str, Any]]:
    """Every font the PDF's pages use: base name → its descriptor (of the descendant font for a Type0 font)."""
    reader = pypdf.PdfReader(io.BytesIO(document))
    found: dict[str, dict[str, Any]] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = dict(descriptor.get_object()) if descriptor else {}
    return found


def _text(document: bytes) -> str:
    """The PDF's text with every run of blanks and line breaks (a wrapped table cell) made one space."""
    reader = pypdf.PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def table(manager, vendor_a, vendor_b, engagement_a, fake_fit):  # type: ignore[no-untyped-def]
    fake_fit.update({vendor_a.pk: 87.456, vendor_b.pk: 64.5})
    return lambda **kw: compare(manager, engagement_a, [vendor_a.pk, vendor_b.pk], **kw)


@needs_font
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pdf_embeds_its_fonts_and_reads_as_written(table, language) -> None:  # type: ignore[no-untyped-def]
    with translation.override(language):
        document = to_pdf(table(weights={"fake_fit": 3, criterion_codes()[0]: 1}))
    (Path(os.environ.get("PDF_OUT", "/nonexistent")) / f"comparison-{language}.pdf").write_bytes(
        document
    ) if os.environ.get("PDF_OUT") else None
    fonts = _fonts(document)
    assert fonts, "the PDF uses no font"
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} is not embedded"
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"  # only the glyphs used travel
    text = _text(document)
    assert "华信软件 Vendor A" in text and "Yunling Vendor B" in text  # Chinese and Latin, letters together
    assert "V endor" not in text
    assert "ENG-A" in text and "运维 O&M for A" in text  # the engagement, "&" as written
    assert "87.46" in text  # rounded once, half up
    assert "\ufffd" not in text and "■" not in text
    if language == "en":
        assert "Vendor comparison" in text and "Weighted total" in text
        assert "Weights: typed in" in text and "Criterion weights: Assessment score 25" in text
    else:
        assert "厂商比较" in text and "加权总分" in text and "评估得分" in text
        assert "Weights" not in text and "typed" not in text and "Criterion" not in text  # all translated


@needs_font
def test_the_pdf_says_how_ahp_weights_came_about(table) -> None:  # type: ignore[no-untyped-def]
    codes = criterion_codes()
    matrix = [[1.0] * len(codes) for _c in codes]
    text = _text(to_pdf(table(ahp=(codes, matrix))))
    assert "Weights: derived by pairwise comparison (AHP); consistency ratio 0.000" in text
    assert "weights: ahp" not in text


def test_without_the_font_file_the_pdf_is_still_written_and_the_check_says_why(  # type: ignore[no-untyped-def]
    table, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("OUTSOURCING_PDF_FONT", str(tmp_path / "missing.ttc"))
    assert pdf_fonts.font_files()[0] is None
    assert [m.id for m in pdf_fonts.check_pdf_font()] == ["core.W001"]
    document = to_pdf(table())
    assert document.startswith(b"%PDF")
    assert "Vendor comparison" in _text(document)


@needs_font
def test_the_system_check_is_quiet_when_the_font_is_there() -> None:
    assert pdf_fonts.check_pdf_font() == []


def test_the_xlsx_holds_typed_rounded_numbers_and_dates(table, engagement_a) -> None:  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(to_xlsx(table(weights={"fake_fit": 3, criterion_codes()[0]: 1}))))
    sheet = workbook.worksheets[0]
    assert sheet["B1"].value == str(engagement_a)
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Rank")
    assert sheet.freeze_panes == f"A{header_row + 1}"  # the header stays on screen
    headers = [c.value for c in sheet[header_row]]
    first = {h: c for h, c in zip(headers, sheet[header_row + 1], strict=False)}
    assert first["Rank"].value == 1 and first["Rank"].data_type == "n"
    assert first["Fake fit"].value == 87.46  # a number, rounded half up to the places of a score
    assert first["Fake fit"].number_format == "#,##0.00"
    assert isinstance(first["Weighted total"].value, int | float)
    assert first["Coverage (%)"].value == 75  # assessment_score has no data: 3 of 4 weight parts known
    empty = [c for row in sheet.iter_rows(min_row=header_row) for c in row if c.value in ("", "'")]
    assert empty == []  # an empty cell is empty, never "" or a lone apostrophe
    for letter in ("A", "B", "C"):
        assert sheet.column_dimensions[letter].width >= 6
    assert sheet.column_dimensions["B"].width >= len("Yunling Vendor B")
