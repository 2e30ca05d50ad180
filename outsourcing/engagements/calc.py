"""The money and service-level arithmetic of engagements, as pure functions on Decimals.

Kept free of the database so that every rule can be pinned by worked examples (tests/test_calc_*.py).

Service levels. For a metric with target T and measured value V:
- shortfall = T − V when higher is better, V − T when lower is better, never below zero;
- the period is a *breach* when the shortfall is above zero (meeting the target exactly is no breach);
- attainment = 100 when met, else V ÷ T × 100 (higher is better) or T ÷ V × 100 (lower is better);
- the credit band is the one with the largest "shortfall from" that is ≤ the shortfall (a shortfall exactly
  on a boundary falls in the band that starts there); its percentage of the period's fee is the credit,
  rounded half-up to cents; the credits of one period together never exceed that period's fee.

Gain-sharing. benefit = measured − baseline (increase) or baseline − measured (decrease). The base share
applies from zero to the first tier; each tier's share applies to the part of the benefit from its
threshold up to the next one (like tax brackets). Each line is rounded half-up to cents, the payout is the
sum of the lines, then limited by the cap. No benefit, no payout.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from outsourcing.core.money import cents

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def plain(value: Decimal) -> str:
    """20.00 → "20", 12.50 → "12.5": a percentage as people write it."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Evaluation:
    shortfall: Decimal
    breached: bool
    attainment: Decimal


def evaluate(target: Decimal, higher_is_better: bool, value: Decimal) -> Evaluation:
    shortfall = max(ZERO, target - value) if higher_is_better else max(ZERO, value - target)
    if shortfall == 0:
        return Evaluation(ZERO, False, HUNDRED)
    if higher_is_better:
        attainment = value / target * HUNDRED if target else HUNDRED
    else:
        attainment = target / value * HUNDRED if value else HUNDRED
    return Evaluation(shortfall, True, attainment)


def credit_percent(bands: Iterable[tuple[Decimal, Decimal]], shortfall: Decimal) -> Decimal:
    """`bands` are (shortfall_from, percent); a breach below every band earns no credit."""
    if shortfall <= 0:
        return ZERO
    applicable = [(start, pct) for start, pct in bands if start <= shortfall]
    return max(applicable)[1] if applicable else ZERO


def credit_amount(fee: Decimal, percent: Decimal) -> Decimal:
    return cents(fee * percent / HUNDRED)


def capped_total(amounts: Iterable[Decimal], fee: Decimal) -> Decimal:
    return cents(min(sum(amounts, ZERO), fee))


@dataclass
class Payout:
    benefit: Decimal
    payout: Decimal
    lines: list[str] = field(default_factory=list)
    capped: bool = False


def payout(
    *,
    baseline: Decimal,
    measured: Decimal,
    increase: bool,
    share_percent: Decimal,
    tiers: Sequence[tuple[Decimal, Decimal]] = (),
    cap: Decimal | None = None,
) -> Payout:
    """The gain-sharing payout of one period, explained line by line."""
    benefit = measured - baseline if increase else baseline - measured
    if increase:
        first = _("Benefit = measured %(m)s − baseline %(b)s = %(x)s") % {
            "m": measured,
            "b": baseline,
            "x": benefit,
        }
    else:
        first = _("Benefit = baseline %(b)s − measured %(m)s = %(x)s") % {
            "m": measured,
            "b": baseline,
            "x": benefit,
        }
    result = Payout(benefit=benefit, payout=cents(ZERO), lines=[first])
    if benefit <= 0:
        result.lines.append(_("No benefit in this period: no payout."))
        return result
    steps = [(ZERO, share_percent), *sorted(tiers)]
    total = ZERO
    for index, (lower, pct) in enumerate(steps):
        if benefit <= lower:
            break
        upper = steps[index + 1][0] if index + 1 < len(steps) else None
        portion = (min(benefit, upper) if upper is not None else benefit) - lower
        amount = cents(portion * pct / HUNDRED)
        total += amount
        result.lines.append(
            _("%(pct)s%% of %(portion)s (benefit from %(lower)s to %(upper)s) = %(amount)s")
            % {
                "pct": plain(pct),
                "portion": portion,
                "lower": lower,
                "upper": upper if upper is not None else "…",
                "amount": amount,
            }
        )
    if cap is not None and total > cap:
        result.lines.append(_("Sum %(total)s exceeds the cap %(cap)s: paid %(cap)s") % {"total": total, "cap": cap})
        total = cap
        result.capped = True
    result.lines.append(_("Payout = %(total)s") % {"total": total})
    result.payout = total
    return result


def period_end(start: datetime.date, quarterly: bool) -> datetime.date:
    """Last day of the month (or quarter) that begins on `start`."""
    months = 3 if quarterly else 1
    year, month = divmod(start.month - 1 + months, 12)
    return datetime.date(start.year + year, month + 1, 1) - datetime.timedelta(days=1)


def is_period_start(day: datetime.date, quarterly: bool) -> bool:
    return day.day == 1 and (not quarterly or day.month in (1, 4, 7, 10))


def period_containing(day: datetime.date, quarterly: bool) -> datetime.date:
    """Start of the month (or calendar quarter) that `day` falls in."""
    month = day.month - (day.month - 1) % 3 if quarterly else day.month
    return datetime.date(day.year, month, 1)
