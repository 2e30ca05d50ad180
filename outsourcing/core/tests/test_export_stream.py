"""A CSV export's cells and pieces: `csv_value` decides the common cells (plain text, numbers, dates, empty)
in short with the same result as its full rules, and the stream is sent in pieces of many lines that join to
the same body as one line at a time."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from outsourcing.core import numbers
from outsourcing.core.exports import CSV_PIECE_ROWS, csv_value, export_response, local, safe_cell


def _full_rules(value):
    """csv_value without its short way (the rules as they were)."""
    value = local(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return numbers.rounded(value)
    return safe_cell(value)


VALUES = [
    None,
    "",
    "Vendor A",
    "华信软件",
    "a=b",
    "=1+1",
    " =1",
    "  +x",
    "-",
    " - ",
    "－1",
    "＝",
    "\t=1",
    "@A1",
    " plain",
    0,
    -3,
    True,
    False,
    2.5,
    1 / 3,
    Decimal("12.50"),
    datetime.date(2024, 2, 29),
    datetime.datetime(2024, 2, 29, 23, 30, tzinfo=datetime.UTC),
    datetime.datetime(2024, 2, 29, 23, 30),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_cell_is_what_the_full_rules_give(value):
    assert csv_value(value) == _full_rules(value)
    assert type(csv_value(value)) is type(_full_rules(value))


def test_pieces_join_to_the_body_written_line_by_line():
    items = [(f"V{i}", f"=x{i}" if i % 7 == 0 else f"名{i}", i, datetime.date(2024, 1, 1)) for i in range(1_201)]
    response = export_response("csv", filename="t", headers=["a", "b", "c", "d"], rows=items, row=list)
    pieces = list(response.streaming_content)
    assert len(pieces) == 2 + -(-len(items) // CSV_PIECE_ROWS)  # the mark, the header, then the pieces
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["a", "b", "c", "d"])
    for item in items:
        writer.writerow([_full_rules(v) for v in item])
    assert b"".join(pieces).decode("utf-8") == "\ufeff" + buffer.getvalue()
