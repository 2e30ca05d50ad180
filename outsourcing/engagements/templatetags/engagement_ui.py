"""Display helpers of the engagement pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from outsourcing.core import numbers

register = template.Library()


@register.filter
def num(value: Any) -> str:
    """A Decimal without trailing zeros or exponent: 99.9000 → 99.9, 4.0000 → 4."""
    if not isinstance(value, Decimal) and value not in (None, ""):
        return str(value)
    return numbers.display_plain(value)  # grouped for the reader's language: 1,200,000
