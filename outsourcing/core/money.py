"""Money is Decimal, rounded once, half up, to cents: the one rounding of every amount in the product
(service credits, gain-sharing payouts, processing settlements)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """`value` rounded half up to cents: 2.345 → 2.35, -2.345 → -2.35."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
