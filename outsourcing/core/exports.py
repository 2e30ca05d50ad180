"""CSV and XLSX downloads of any list: rows are streamed from a queryset already limited by visibility.

`safe_cell` is the one place where text bound for an export (CSV, XLSX or PDF) is kept from becoming a formula:
every export writes its cells through it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font


class _Echo:
    def write(self, value: str) -> str:
        return value


# A text beginning with one of these (after blanks) is read as a formula by spreadsheet programs — the full-width
# forms too, which a Chinese input method types.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def safe_cell(value: Any) -> Any:
    """`value` as an export cell: text that a spreadsheet would run as a formula gets a leading apostrophe,
    so that it shows as typed (`'=HYPERLINK(...)`); numbers, dates and other values pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_STARTS:
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
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(filename[:31])
        sheet.append([_bold(workbook, safe_text(h)) for h in headers])
        for item in rows:
            sheet.append([safe_cell(local(v)) for v in row(item)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
        return response
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"  # so that spreadsheet programs read the UTF-8 (Chinese names) correctly
        yield writer.writerow([safe_text(h) for h in headers])
        for item in rows:
            yield writer.writerow([safe_cell(local(v)) for v in row(item)])

    response_stream = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response_stream["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response_stream


def _bold(workbook: Workbook, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(workbook.worksheets[0], value=value)
    cell.font = Font(bold=True)
    return cell
