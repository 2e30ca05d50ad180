"""One helper keeps export text from becoming a formula: CSV, XLSX and PDF all write through it."""

import pytest

from outsourcing.core.exports import safe_cell, safe_text


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "＝1+1", "＋1", "－1", "＠A1", '=HYPERLINK("x")'],
)
def test_formula_starts_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", ["Vendor A", "a=b", "华信软件", 1, -1, 2.5, ""])
def test_other_values_pass_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", ["-", "+", " - ", "=", "＋"])
def test_a_sign_alone_is_not_a_formula(value):
    """ "-" for "none" stays as typed: no stray apostrophe."""
    assert safe_cell(value) == value


def test_none_stays_an_empty_cell():
    assert safe_cell(None) is None
    assert safe_text(None) == ""
