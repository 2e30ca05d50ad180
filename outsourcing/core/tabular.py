"""The one reader of every CSV and XLSX import: typed by content, capped, streamed, with bounded errors.

Every import (rosters, SLA measurements) reads its file here, so there is one size cap, one row cap and one
shape of row error. Nothing in a file is trusted to say how big it is: an XLSX is read row by row with
openpyxl's streaming parser and its declared dimension is never used, so a 2 KB file that claims a million
rows costs what its real rows cost, and a file with more real rows than the cap is refused as soon as the
row after the cap is met. A row-level problem (a NUL character, a field longer than the csv module accepts,
an overlong value) is a row error, never a 500; the errors kept are the first `MAX_ERRORS`, each cut short,
plus the total count.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_BYTES = 5 * 1024 * 1024  # 10,000 rows of a roster or of measurements are well under 2 MB as CSV
MAX_ROWS = 10_000  # data rows below the header
MAX_COLUMNS = 64
MAX_CELL_CHARS = 1_000  # longer than any field we store; a longer value is a row error, not a memory bill
MAX_ERRORS = 50  # row errors kept and shown; the total is counted beyond that
MAX_MESSAGE_CHARS = 300
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX whose parts claim more than this is a zip bomb

ZIP_MAGIC = b"PK\x03\x04"


def cut(value: Any, length: int = 60) -> str:
    """A value short enough to quote in an error message."""
    text = str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class RowError:
    """One problem in one row: the line as the user counts it (the header is line 1), the column, why."""

    line: int
    field: str
    msg: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "msg": self.msg}

    def __str__(self) -> str:
        if self.field:
            return _("Row %(line)s, %(field)s: %(msg)s") % {"line": self.line, "field": self.field, "msg": self.msg}
        return _("Row %(line)s: %(msg)s") % {"line": self.line, "msg": self.msg}


class RowErrors:
    """The first `limit` row errors, each message cut short, and how many there were in all."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.limit = limit
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, line: int, field: str, msg: str) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(RowError(line, cut(field, 64), cut(msg, MAX_MESSAGE_CHARS)))

    def add_validation_error(self, line: int, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                for error in errors:
                    for message in error.messages:
                        self.add(line, "" if field == "__all__" else field, message)
        else:
            for message in exc.messages:
                self.add(line, "", message)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def as_list(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.kept]

    def messages(self) -> list[str]:
        """One line per kept error, and a last line saying how many more there are."""
        lines = [str(e) for e in self.kept]
        more = self.total - len(self.kept)
        if more > 0:
            lines.append(ngettext("… and %(n)s more row error.", "… and %(n)s more row errors.", more) % {"n": more})
        return lines


def bounded_messages(messages: Sequence[str], limit: int = MAX_ERRORS) -> list[str]:
    """The first `limit` messages, each cut short, and a last line counting the rest."""
    kept = [cut(m, MAX_MESSAGE_CHARS) for m in messages[:limit]]
    more = len(messages) - len(kept)
    if more > 0:
        kept.append(ngettext("… and %(n)s more row error.", "… and %(n)s more row errors.", more) % {"n": more})
    return kept


def file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def check_size(size: int | None) -> None:
    """Refuse an upload over the one size cap (before it is stored or read)."""
    if (size or 0) > MAX_BYTES:
        raise file_error(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})


@dataclass(frozen=True)
class Row:
    """A non-empty data row: its line number (the header is line 1) and its values by lower-case column."""

    line: int
    values: dict[str, Any]


def read_table(
    handle: IO[bytes],
    *,
    columns: Sequence[str],
    required: Sequence[str],
    errors: RowErrors,
    max_rows: int = MAX_ROWS,
) -> Iterator[Row]:
    """Yield every non-empty row below the header, as {column: value} for the known `columns`.

    The file's type is told by its content: a zip is read as XLSX, anything else as UTF-8 CSV. Problems
    with the whole file raise ValidationError({"file": ...}); a bad row is added to `errors` and skipped.
    """
    handle.seek(0, io.SEEK_END)
    check_size(handle.tell())
    handle.seek(0)
    head = handle.read(4)
    handle.seek(0)
    if not head:
        raise file_error(_("The file is empty."))
    lines: Generator[tuple[int, list[Any] | None], None, None]
    lines = _xlsx_lines(handle) if head == ZIP_MAGIC else _csv_lines(handle, errors)
    try:
        yield from _rows(lines, columns=columns, required=required, errors=errors, max_rows=max_rows)
    finally:
        lines.close()  # now, while the file is still open


def _rows(
    lines: Iterator[tuple[int, list[Any] | None]],
    *,
    columns: Sequence[str],
    required: Sequence[str],
    errors: RowErrors,
    max_rows: int,
) -> Iterator[Row]:
    header: list[str] | None = None
    index: dict[str, int] = {}
    for line, cells in lines:
        if header is None:
            if cells is None:
                raise file_error(_("The header (line 1) cannot be read."))
            header = [str(c or "").strip().lower() for c in cells]
            missing = [c for c in required if c not in header]
            if missing:
                raise file_error(
                    _("The header (line %(line)s) lacks the columns: %(cols)s. Expected: %(expected)s.")
                    % {"line": line, "cols": ", ".join(missing), "expected": ", ".join(columns)}
                )
            index = {c: header.index(c) for c in columns if c in header}
            continue
        if cells is None:
            continue
        text = _all_text(cells)
        if text is not None:  # a row of text (every CSV row): the checks below on the row's text at once
            if not text.strip():
                continue
        elif not any(str(c if c is not None else "").strip() for c in cells):
            continue
        if line > max_rows + 1:
            raise file_error(_("At most %(n)s rows per file.") % {"n": f"{max_rows:,}"})
        if text is not None and len(text) <= MAX_CELL_CHARS and "\x00" not in text:
            problem = None  # no cell can be too long or hold a NUL
        else:
            problem = _cell_problem(cells, header)
        if problem is not None:
            errors.add(line, problem[0], problem[1])
            continue
        yield Row(line, {c: (cells[i] if i < len(cells) else None) for c, i in index.items()})
    if header is None:
        raise file_error(_("The file is empty."))


def _all_text(cells: Sequence[Any]) -> str | None:
    """The row's cells joined, when every one is text; otherwise None."""
    try:
        return "".join(cells)
    except TypeError:
        return None


def _cell_problem(cells: Sequence[Any], header: list[str]) -> tuple[str, str] | None:
    for i, value in enumerate(cells):
        if not isinstance(value, str):
            continue
        field = header[i] if i < len(header) else ""
        if "\x00" in value:
            return field, _("The value contains a NUL character.")
        if len(value) > MAX_CELL_CHARS:
            return field, _("The value is longer than %(n)s characters.") % {"n": MAX_CELL_CHARS}
    return None


def _csv_lines(handle: IO[bytes], errors: RowErrors) -> Generator[tuple[int, list[Any] | None], None, None]:
    """(record number, cells) from a UTF-8 CSV, decoded as it streams; a broken record is a row error."""
    # newline="" leaves line ends inside quoted fields to the csv module, as it asks. A line can be no
    # longer than the file, which the size cap bounds.
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
    reader = csv.reader(text)
    number = 0
    try:
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise file_error(_("The file is neither an XLSX workbook nor a UTF-8 CSV file.")) from exc
            except csv.Error as exc:
                errors.add(number, "", _("This row cannot be read as CSV (%(reason)s).") % {"reason": cut(exc, 80)})
                yield number, None
                continue
            yield number, cells[:MAX_COLUMNS]
    finally:
        with contextlib.suppress(ValueError):  # already closed by its owner
            text.detach()  # the caller owns the file; closing the wrapper would close it


def _xlsx_lines(handle: IO[bytes]) -> Generator[tuple[int, list[Any] | None], None, None]:
    """(row number, cells) for the rows really present in the first sheet, streamed."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    unreadable = file_error(_("This is not a readable XLSX workbook."))
    try:
        with zipfile.ZipFile(handle) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise file_error(_("The workbook unpacks to more than %(mb)s MB.") % {"mb": MAX_UNZIPPED_BYTES >> 20})
        handle.seek(0)
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The read-only sheet's own iterator pads to the declared dimension and fills every missing row;
        # its parser yields only the rows that are really there.
        source = sheet._get_source()
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged file
        raise unreadable from exc
    try:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        rows = parser.parse()
        while True:
            try:
                number, cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise unreadable from exc
            values: list[Any] = []
            for cell in cells:
                column = cell["column"]
                if column > MAX_COLUMNS:
                    break
                values.extend([None] * (column - 1 - len(values)))
                values.append(cell["value"])
            yield number, values
    finally:
        source.close()
        workbook.close()
