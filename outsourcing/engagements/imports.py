"""Reading measurement files (CSV or XLSX) into raw rows; validation happens in the import action."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = ("metric", "period", "value", "note")


def read_rows(upload: UploadedFile | None) -> list[tuple[int, str, Any, Any, str]]:
    """(line number, metric, period, value, note) for every non-empty row below the header."""
    if upload is None:
        raise ValidationError({"file": _("Choose a CSV or XLSX file to import.")})
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    data = upload.read()
    name = (upload.name or "").lower()
    table = _xlsx(data) if data[:2] == b"PK" or name.endswith(".xlsx") else _csv(data)
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise ValidationError(
            {
                "file": _("Missing columns: %(cols)s (expected metric, period, value, note).")
                % {"cols": ", ".join(missing)}
            }
        )
    index = {c: header.index(c) for c in COLUMNS if c in header}
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        cells = list(cells) + [None] * (len(header) - len(cells))

        def cell(col: str, cells: list[Any] = cells) -> Any:
            return cells[index[col]] if col in index else None

        rows.append((line, str(cell("metric") or ""), cell("period"), cell("value"), str(cell("note") or "")[:500]))
        if len(rows) > MAX_ROWS:
            raise ValidationError({"file": _("At most %(n)s rows per file.") % {"n": MAX_ROWS}})
    return rows


def _csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": _("Save the CSV file as UTF-8.")}) from exc
    return [row for row in csv.reader(io.StringIO(text))]


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError({"file": _("This is not a readable XLSX file.")}) from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
