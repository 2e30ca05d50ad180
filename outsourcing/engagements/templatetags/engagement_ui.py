"""Display helpers of the engagement pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def num(value: Any) -> str:
    """A Decimal without trailing zeros or exponent: 99.9000 → 99.9, 4.0000 → 4."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        return str(value)
    text = format(value.normalize(), "f")
    return text
