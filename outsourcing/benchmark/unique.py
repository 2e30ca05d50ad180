"""The benchmark's rows for issue 13 (what no other product does): identity numbers and allocations in the
generated portfolio, and the timings of the portfolio-wide attrition forecast and double-booking detection.

Kept apart from the command's module so the command needs only a few one-line hooks: `identity` and
`allocation` give the generated people and places their values (deterministic, drawing nothing from the
generator's random sequence, so the rest of the portfolio is the same as without them), and `scenarios`
adds the timed operations.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from outsourcing.engagements.choices import EngagementStatus
from outsourcing.engagements.models import Engagement
from outsourcing.teams.contributions import booking_issues
from outsourcing.teams.double_booking import double_booked, over_allocated
from outsourcing.teams.forecast import forecast_teams
from outsourcing.teams.identity import keyed_hash, valid_resident_id

# Every SHARE_EVERY-th generated person carries the identity number of another generated person (most often at
# another vendor): a person on two rosters at once, when both are employed on the day.
SHARE_EVERY = 97
# Allocation of a place, by a hash of (engagement, person): most places are full time, some part time, so that
# people on two active teams are sometimes within 100 % and sometimes above it.
ALLOCATIONS = (100, 100, 100, 100, 100, 100, 50, 50, 60, 30)


def _number_of(person: int, total: int) -> int:
    """Whose identity number the `person`-th generated person (1-based) carries."""
    if person % SHARE_EVERY == 0 and total > 1:
        other = (person * 7919) % total + 1  # a far-away person: usually another vendor's
        return other if other != person else person
    return person


def identity(person: int, total: int) -> dict[str, str]:
    """The TeamMember fields of the `person`-th generated person's resident identity number: its keyed hash
    and last four characters, as `TeamMember.identity_number` would store them (never the number)."""
    number = valid_resident_id(f"11{_number_of(person, total):015d}")
    return {"identity_hash": keyed_hash(number), "identity_last4": number[-4:]}


def allocation(engagement_index: int, member_id: int) -> int:
    """The allocation percentage of a generated place."""
    return ALLOCATIONS[(engagement_index * 31 + member_id * 17) % len(ALLOCATIONS)]


def forecast_portfolio(as_of: datetime.date) -> dict[str, int]:
    """The attrition forecast of every engagement's team on `as_of` (set-based, `teams.forecast`)."""
    ids = list(Engagement.objects.order_by().values_list("pk", flat=True))
    forecasts = forecast_teams(ids, as_of)
    return {
        "teams": sum(1 for f in forecasts.values() if f.members),
        "people": sum(f.size for f in forecasts.values()),
        "attention": sum(1 for f in forecasts.values() if f.calls_for_attention),
    }


def match_identities(as_of: datetime.date) -> dict[str, int]:
    """Who is double-booked (one identity hash at two vendors) or over-allocated on `as_of`, portfolio-wide."""
    return {
        "double_booked": len(list(double_booked(as_of).values_list("pk", flat=True))),
        "over_allocated": len(list(over_allocated(as_of).values_list("pk", flat=True))),
    }


def booking_open_issues(as_of: datetime.date) -> int:
    """The open issues `double_booked` / `over_allocated` of every active engagement (the registry's check)."""
    active = list(Engagement.objects.filter(status=EngagementStatus.ACTIVE).order_by())
    return sum(len(found) for found in booking_issues(active, as_of).values())


def scenarios(portfolio: Any, as_of: datetime.date) -> list[tuple[str, Callable[[], Any]]]:
    """The timed operations (plain calls, as the criteria are timed)."""
    return [
        ("Attrition forecast, every team of the portfolio", lambda: forecast_portfolio(as_of)),
        ("Identity hashes matched, whole portfolio (double-booked, over-allocated)", lambda: match_identities(as_of)),
        ("Open issues double_booked/over_allocated, all active engagements", lambda: booking_open_issues(as_of)),
    ]
