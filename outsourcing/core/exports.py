"""CSV and XLSX downloads of any list: rows are streamed from a queryset already limited by visibility.

`safe_cell` is the one place where text bound for an export (CSV, XLSX or PDF) is kept from becoming a formula:
every export writes its cells through it. `XlsxWriter` is the one writer of every XLSX export: numbers stay
numbers (rounded by `core.numbers`), dates stay dates, an empty value is an empty cell, columns get widths that
fit their contents and the header row is frozen.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from outsourcing.core import numbers

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value: str) -> str:
        return value


# A text beginning with one of these (after blanks) is read as a formula by spreadsheet programs — the full-width
# forms too, which a Chinese input method types.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def formula_like(value: Any) -> bool:
    """Would a spreadsheet read this text as a formula? (A sign alone, such as "-" for "none", is not one.)"""
    if not isinstance(value, str):
        return False
    text = value.lstrip(" ")
    return text[:1] in FORMULA_STARTS and len(text.strip()) > 1


def safe_cell(value: Any) -> Any:
    """`value` as a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe, so that
    it shows as typed (`'=HYPERLINK(...)`); numbers, dates, other text and empty values (None) pass unchanged."""
    if formula_like(value):
        return "'" + value
    return value


def safe_text(value: Any) -> str:
    """`safe_cell` for text-only outputs (PDF, sheet titles): always a string."""
    return str(safe_cell("" if value is None else str(value)))


def local(value: Any) -> Any:
    """A moment as the owner's clock shows it (SPEC "One day, one number"): exports and pages agree on the day;
    spreadsheets hold no time zone, so the local time goes in without one."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


# A text that begins with none of these cannot be formula-like (see formula_like): it goes out as it is.
_MAY_BE_FORMULA = FORMULA_STARTS | {" "}
# Values the rules below give back unchanged (no moment, no float, no text).
_AS_IS = frozenset({type(None), int, bool, Decimal, datetime.date})


def csv_value(value: Any) -> Any:
    """One CSV cell: a moment to the second, a figure rounded once, formula-like text neutralised."""
    kind = type(value)
    if kind in _AS_IS or (kind is str and value[:1] not in _MAY_BE_FORMULA):
        return value  # most cells of an export: what the rules below give them unchanged, decided in short
    value = local(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return numbers.rounded(value)
    return safe_cell(value)


# ---------------------------------------------------------------------------------------------------------------
# XLSX

DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm:ss"
MIN_WIDTH, MAX_WIDTH = 6, 60  # in characters: a column never narrower than a short header, never a screen wide
SAMPLE_ROWS = 500  # rows read before the column widths are set (the sheet is written as a stream after that)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F6")


def _text_width(text: str) -> int:
    """Columns a text needs: a wide (CJK) character takes two."""
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _number_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")


class XlsxWriter:
    """One workbook of one or more sheets, written as a stream (write-only), each cell typed.

    `sheet(title, headers, rows, preamble=...)` adds a sheet: optional `preamble` lines (a title block such as
    "Engagement: …") above the header row, the header in bold and frozen, then the rows. Values:
    - int / float / Decimal: a number; floats rounded by `numbers.rounded` (the one rounding), a Decimal keeps
      its places; both shown with thousands separators;
    - date / datetime: a date (a moment in the owner's local time, to the second);
    - None or "": an empty cell;
    - text: text — also text that looks like a formula (stored as a string cell marked "quote prefix", so
      that the spreadsheet neither runs it nor turns it into a formula when the cell is edited).
    """

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def _cell(self, sheet: Any, value: Any, *, bold: bool = False) -> Any:
        value = local(value)
        if value == "" or value is None:
            return None
        if isinstance(value, bool):
            cell = WriteOnlyCell(sheet, value=value)
        elif isinstance(value, int):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "#,##0"
        elif isinstance(value, float | Decimal):
            number = numbers.rounded(value) if isinstance(value, float) else value
            if number is None:  # NaN or infinity: not a figure
                return None
            cell = WriteOnlyCell(sheet, value=number)
            cell.number_format = _number_format(number)
        elif isinstance(value, datetime.datetime):
            cell = WriteOnlyCell(sheet, value=value.replace(microsecond=0))
            cell.number_format = MOMENT_FORMAT
        elif isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
        else:
            text = str(value)
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # never "f": openpyxl would write text starting with "=" as a formula
            if formula_like(text):
                cell.quotePrefix = True  # type: ignore[attr-defined]
            if "\n" in text:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        return cell

    @staticmethod
    def _width(value: Any) -> int:
        value = local(value)
        if value is None or value == "":
            return 0
        if isinstance(value, datetime.datetime):
            return 19
        if isinstance(value, datetime.date):
            return 10
        if isinstance(value, float | Decimal):
            value = numbers.display(value, 2 if isinstance(value, float) else max(0, -int(value.as_tuple().exponent)))
        return _text_width(str(value))

    def sheet(
        self,
        title: str,
        headers: Sequence[Any],
        rows: Iterable[Sequence[Any]],
        *,
        preamble: Sequence[Sequence[Any]] = (),
    ) -> None:
        sheet = self.workbook.create_sheet(_sheet_title(title))
        iterator = iter(rows)
        sample: list[Sequence[Any]] = []
        for line in iterator:
            sample.append(line)
            if len(sample) >= SAMPLE_ROWS:
                break
        widths = [self._width(h) + 2 for h in headers]  # room for the filter button
        for line in [*preamble, *sample]:
            for index, value in enumerate(line):
                if index >= len(widths):
                    widths.append(0)
                widths[index] = max(widths[index], self._width(value))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width) + 2)
        header_row = len(preamble) + 1
        sheet.freeze_panes = f"A{header_row + 1}"
        for line in preamble:
            sheet.append([self._cell(sheet, v, bold=i == 0) for i, v in enumerate(line)])
        sheet.append([self._cell(sheet, h, bold=True) for h in headers])
        for line in sample:
            sheet.append([self._cell(sheet, v) for v in line])
        for line in iterator:
            sheet.append([self._cell(sheet, v) for v in line])

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # A sheet's name: at most 31 characters, none of : \ / ? * [ ]
    cleaned = "".join(" " if ch in ":\\/?*[]" else ch for ch in str(title)).strip() or "Sheet"
    return cleaned[:31]


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CSV_PIECE_ROWS = 500


def export_response(
    fmt: str,
    *,
    filename: str,
    headers: list[str],
    rows: Iterable[Any],
    row: Callable[[Any], list[Any]],
) -> HttpResponse | StreamingHttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        writer = XlsxWriter()
        writer.sheet(filename, [str(h) for h in headers], (row(item) for item in rows))
        return xlsx_response(writer.save(), f"{filename}-{stamp}.xlsx")
    writer_csv = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"  # so that spreadsheet programs read the UTF-8 (Chinese names) correctly
        yield writer_csv.writerow([safe_text(h) for h in headers])
        # Sent in pieces of CSV_PIECE_ROWS lines: a piece per line cost more in the response's encoding of
        # each piece than writing the line did.
        piece: list[str] = []
        for item in rows:
            piece.append(writer_csv.writerow([csv_value(v) for v in row(item)]))
            if len(piece) == CSV_PIECE_ROWS:
                yield "".join(piece)
                piece = []
        if piece:
            yield "".join(piece)

    response_stream = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response_stream["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response_stream
