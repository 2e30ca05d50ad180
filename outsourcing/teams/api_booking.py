"""Double-booked people in the API: who on a team is also sold by another vendor, or planned above full time."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from outsourcing.core.api import Day, get_visible
from outsourcing.engagements.models import Engagement

from .double_booking import team_bookings

router = Router(tags=["teams"])


class BookingOut(Schema):
    member_id: int
    codes: list[Literal["double_booked", "over_allocated"]]
    allocation_total: int = Field(description="Percent of the person's time planned on engagements active on the day.")
    other_vendors: list[str] = Field(description="The other vendors employing the same person (owner staff only).")


class BookingsOut(Schema):
    as_of: datetime.date
    members: list[BookingOut]


@router.get("/engagements/{engagement_id}/double-bookings", response=BookingsOut)
def get_double_bookings(request: HttpRequest, engagement_id: int, as_of: Day | None = None) -> Any:
    """The team's people with a warning on `as_of` (default today): `double_booked` — employed by another vendor
    too (same identity number; shown to the owner's staff only), `over_allocated` — planned above 100 %."""
    engagement = get_visible(Engagement.objects.all(), request.user, pk=engagement_id)
    day = as_of or timezone.localdate()
    found = team_bookings(engagement, day, request.user)
    return {"as_of": day, "members": [found[pk].__dict__ for pk in sorted(found)]}
