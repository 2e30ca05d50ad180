"""The one reader of CSV/XLSX imports: typed by content, capped, streamed, bounded errors, hostile files refused."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from outsourcing.core import tabular
from outsourcing.core.tabular import MAX_ERRORS, MAX_MESSAGE_CHARS, RowErrors, read_table

COLUMNS = ["name", "value"]


def _read(data: bytes, **kwargs):
    errors = RowErrors()
    rows = list(read_table(io.BytesIO(data), columns=COLUMNS, required=COLUMNS, errors=errors, **kwargs))
    return rows, errors


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(sheet_xml: str, shared_strings: str | None = None) -> bytes:
    """A real workbook whose first sheet (and shared strings) are replaced by hand-written XML."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["name", "value"], ["a", "b"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            elif shared_strings is not None and item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_TYPE + b"</Types>")
            elif shared_strings is not None and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SHARED_REL + b"</Relationships>")
            target.writestr(item, data)
        if shared_strings is not None:
            target.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


SHARED_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_REL = (
    b'<Relationship Id="rIdShared" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
)


def _inline_row(number: int, *values: str) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def test_csv_and_xlsx_give_the_same_rows_whatever_the_file_is_called():
    csv_rows, _ = _read(b"\xef\xbb\xbfName,Value\r\na,1\r\n\r\nb,2\r\n")
    xlsx_rows, _ = _read(_xlsx([["Name", "Value"], ["a", "1"], [None, None], ["b", "2"]]))
    assert [(r.line, r.values) for r in csv_rows] == [
        (2, {"name": "a", "value": "1"}),
        (4, {"name": "b", "value": "2"}),
    ]
    assert [(r.line, r.values) for r in xlsx_rows] == [(r.line, r.values) for r in csv_rows]


def test_a_file_that_is_not_a_zip_is_not_read_as_xlsx_and_is_refused_readably():
    with pytest.raises(ValidationError) as caught:
        _read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    assert "neither an XLSX workbook nor a UTF-8 CSV" in caught.value.messages[0]


def test_a_damaged_zip_is_refused_as_an_unreadable_workbook():
    with pytest.raises(ValidationError, match="not a readable XLSX"):
        _read(b"PK\x03\x04" + b"\x00" * 200)


def test_a_workbook_declaring_a_million_rows_is_read_by_its_real_rows():
    sheet = SHEET.format(dimension="A1:XFD1048576", rows=_inline_row(1, "name", "value") + _inline_row(2, "a", "1"))
    rows, errors = _read(_with_sheet(sheet))
    assert [(r.line, r.values) for r in rows] == [(2, {"name": "a", "value": "1"})]
    assert not errors


def test_a_workbook_with_a_row_at_line_1048576_is_refused_without_reading_the_rows_between(monkeypatch):
    parsed = []
    original = tabular._xlsx_lines

    def counting(handle):
        for item in original(handle):
            parsed.append(item[0])
            yield item

    monkeypatch.setattr(tabular, "_xlsx_lines", counting)
    sheet = SHEET.format(
        dimension="A1:H1048576",
        rows=_inline_row(1, "name", "value") + _inline_row(2, "a", "1") + _inline_row(1048576, "z", "9"),
    )
    data = _with_sheet(sheet)
    assert len(data) < 8_000
    with pytest.raises(ValidationError, match="At most 10,000 rows"):
        _read(data)
    assert parsed == [1, 2, 1048576]  # three rows parsed, not a million padded ones


def test_the_row_cap_counts_real_rows_in_both_formats():
    body = "".join(f"n{i},{i}\n" for i in range(5))
    rows, _ = _read(("name,value\n" + body).encode(), max_rows=5)
    assert len(rows) == 5
    with pytest.raises(ValidationError, match="At most 4 rows"):
        _read(("name,value\n" + body).encode(), max_rows=4)
    with pytest.raises(ValidationError, match="At most 4 rows"):
        _read(_xlsx([["name", "value"]] + [[f"n{i}", i] for i in range(5)]), max_rows=4)


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="larger than"):
        _read(b"name,value\n" + b"a,1\n" * 30)


def test_a_field_over_the_csv_field_limit_is_a_row_error_and_the_other_rows_are_read():
    data = b"name,value\na,1\n" + b'"' + b"x" * 131_073 + b'",2\nc,3\n'
    rows, errors = _read(data)
    assert [r.values["name"] for r in rows] == ["a", "c"]
    assert [e.line for e in errors.kept] == [3]
    assert "field larger than field limit" in errors.kept[0].msg


def test_a_nul_character_is_a_row_error():
    rows, errors = _read(b"name,value\na\x00b,1\nc,2\n")
    assert [r.values["name"] for r in rows] == ["c"]
    assert errors.as_list() == [{"line": 2, "field": "name", "msg": "The value contains a NUL character."}]


def test_an_overlong_value_is_a_row_error_and_never_copied_into_the_message():
    rows, errors = _read(b"name,value\n" + b"y" * 5_000 + b",1\n")
    assert rows == []
    assert errors.kept[0].field == "name" and "longer than 1000 characters" in errors.kept[0].msg


def test_an_error_bomb_keeps_the_first_errors_cut_short_and_counts_the_rest():
    errors = RowErrors()
    for line in range(2, 20_002):
        errors.add(line, "value", "“" + "z" * 900 + "” is not a number.")
    assert errors.total == 20_000
    assert len(errors.kept) == MAX_ERRORS
    assert all(len(e.msg) <= MAX_MESSAGE_CHARS for e in errors.kept)
    assert errors.messages()[-1] == "… and 19950 more row errors."
    assert len(str(errors.as_list())) < 20_000


def test_a_long_string_repeated_through_shared_strings_costs_one_error_per_row_not_its_copies():
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
        f"<si><t>name</t></si><si><t>value</t></si><si><t>{'w' * 16_384}</t></si></sst>"
    )
    header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>2</v></c><c r="B{n}" t="s"><v>2</v></c></row>' for n in range(2, 5_002)
    )
    data = _with_sheet(SHEET.format(dimension="A1:B5001", rows=header + body), shared)
    rows, errors = _read(data)
    assert rows == [] and errors.total == 5_000
    assert len(str(errors.as_list())) < 30_000


def test_a_workbook_that_unpacks_to_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNZIPPED_BYTES", 10_000)
    sheet = SHEET.format(dimension="A1:B2", rows=_inline_row(1, "name", "value") + _inline_row(2, "a" * 900, "1") * 20)
    with pytest.raises(ValidationError, match="unpacks to more than"):
        _read(_with_sheet(sheet))


def test_a_missing_column_names_the_header_line_and_the_expected_columns():
    with pytest.raises(ValidationError) as caught:
        _read(b"name,other\na,1\n")
    assert caught.value.messages == ["The header (line 1) lacks the columns: value. Expected: name, value."]
