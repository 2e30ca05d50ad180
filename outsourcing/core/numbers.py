"""One number, one rounding (SPEC "One day, one number"): a figure shown on a page, in an export or in a rule's
text is rounded here, half up, to the places its kind of figure has — so the same figure never reads 64.5 in
one place, 64.52 in another and 64.51 in a third. API answers stay unrounded."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import formats

SCORE_PLACES = 2  # scores, rates and attainment shown as percentages


def rounded(value: Any, places: int = SCORE_PLACES) -> Decimal | None:
    """`value` rounded half up to `places` decimals (None stays None; floats are taken by their shortest repr)."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def display(value: Any, places: int = SCORE_PLACES) -> str:
    """A figure as the reader writes numbers: rounded once, in the reader's language, with thousands separators."""
    number = rounded(value, places)
    if number is None:
        return "—"
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


def display_percent(fraction: Any, places: int = 0) -> str:
    """A share 0 … 1 as a percentage, e.g. 0.7 → "70 %"."""
    if fraction is None:
        return "—"
    return display(Decimal(repr(fraction) if isinstance(fraction, float) else str(fraction)) * 100, places) + " %"


def display_plain(value: Any) -> str:
    """A measured quantity as people write it, without trailing zeros but grouped: 1200000.0000 → 1,200,000;
    99.9000 → 99.9 (in the reader's language)."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.normalize()
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(
        number.quantize(Decimal(1).scaleb(-places)), places, use_l10n=True, force_grouping=True
    )
