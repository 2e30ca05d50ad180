"""Reading measurement files (CSV or XLSX) into raw rows with the shared reader; validation is the action's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from outsourcing.core.tabular import RowErrors, check_size, read_table

COLUMNS = ("metric", "period", "value", "note")


def read_rows(upload: UploadedFile | None) -> list[tuple[int, str, Any, Any, str]]:
    """(line number, metric, period, value, note) for every non-empty row below the header."""
    if upload is None:
        raise ValidationError({"file": _("Choose a CSV or XLSX file to import.")})
    check_size(upload.size)
    errors = RowErrors()
    rows = [
        (
            row.line,
            str(row.values.get("metric") or ""),
            row.values.get("period"),
            row.values.get("value"),
            str(row.values.get("note") or "")[:500],
        )
        for row in read_table(upload, columns=COLUMNS, required=COLUMNS[:3], errors=errors)
    ]
    if errors:
        raise ValidationError({"file": errors.messages()})
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    return rows
