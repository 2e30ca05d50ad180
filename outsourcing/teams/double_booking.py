"""Double-booked people: the same person sold to the owner twice.

Two warnings, on day D, set-based over the whole portfolio:
- `double_booked` — one person (matched by the keyed hash of their identity number) is employed by two or
  more vendors on D: a subcontracted or "borrowed" person presented as each vendor's own;
- `over_allocated` — a person's places on engagements active on D add up to more than 100 % of their time.
They are warnings beside eligibility, not reasons of it (SPEC's eligibility reasons stay as they are). Only
the owner's staff learn that an identity number matches someone at another vendor; a vendor's users see
their own people's over-allocation only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from outsourcing.core.access import sees_all_vendors
from outsourcing.engagements.choices import EngagementStatus

from .choices import TeamSide
from .models import TeamAssignment, TeamMember, employed_q, on_team_q

FULL_TIME = 100

DOUBLE_BOOKED = "double_booked"
OVER_ALLOCATED = "over_allocated"
LABELS = {
    DOUBLE_BOOKED: _("Employed by another vendor too"),
    OVER_ALLOCATED: _("Planned above full time"),
}


def employed(day: datetime.date) -> Q:
    """SPEC Headcount, from its one home (`TeamMember.objects.employed_on`)."""
    return employed_q(day)


def double_booked(day: datetime.date, hashes: QuerySet[Any] | None = None) -> QuerySet[TeamMember]:
    """People employed on D whose identity number matches someone employed by another vendor on D.

    `hashes` (a `values()` queryset of identity hashes, e.g. those of a team's people) limits the search to
    those numbers: the same answer for them, found through the index instead of grouping the whole portfolio.
    """
    people = TeamMember.objects.filter(employed(day)).exclude(identity_hash="")
    if hashes is not None:
        people = people.filter(identity_hash__in=hashes)
    shared = (
        people.order_by()
        .values("identity_hash")
        .annotate(vendors=Count("vendor", distinct=True))
        .filter(vendors__gte=2)
        .values("identity_hash")
    )
    return people.filter(identity_hash__in=shared)


def active_places(day: datetime.date) -> QuerySet[TeamAssignment]:
    """Vendor-side places on the team on D, of engagements active on D."""
    return TeamAssignment.objects.filter(
        on_team_q(day),
        Q(engagement__end_date__isnull=True) | Q(engagement__end_date__gte=day),
        side=TeamSide.VENDOR,
        engagement__status=EngagementStatus.ACTIVE,
        engagement__start_date__lte=day,
    )


def over_allocated(day: datetime.date) -> QuerySet[TeamMember]:
    """People whose allocations over engagements active on D sum above 100 %."""
    totals = (
        active_places(day)
        .order_by()
        .values("member_id")
        .annotate(total=Sum("allocation_percent"))
        .filter(total__gt=FULL_TIME)
        .values("member_id")
    )
    return TeamMember.objects.filter(pk__in=totals)


@dataclass
class Booking:
    """The warnings of one person on D, with what an owner needs to act on them."""

    member_id: int
    codes: list[str] = field(default_factory=list)
    allocation_total: int = 0
    other_vendors: list[str] = field(default_factory=list)  # owner staff only

    @property
    def labels(self) -> list[Any]:
        return [LABELS[code] for code in self.codes]


def bookings(member_ids: Iterable[int], day: datetime.date, user: Any) -> dict[int, Booking]:
    """The warnings of the listed people on D as `user` may see them, in a fixed number of queries."""
    ids = list(member_ids)
    result: dict[int, Booking] = {}
    totals = dict(
        active_places(day)
        .filter(member_id__in=ids)
        .order_by()
        .values("member_id")
        .annotate(total=Sum("allocation_percent"))
        .values_list("member_id", "total")
    )
    for member_id, total in totals.items():
        if total > FULL_TIME:
            result[member_id] = Booking(member_id, [OVER_ALLOCATED], allocation_total=total)
    if sees_all_vendors(user):
        # Everyone matched on the listed people's numbers (them and their twins at other vendors), in one query.
        own = TeamMember.objects.filter(pk__in=ids).exclude(identity_hash="").values("identity_hash")
        matched = list(double_booked(day, own).values_list("pk", "identity_hash", "vendor_id", "vendor__name"))
        wanted = set(ids)
        by_hash = {identity: (pk, vendor) for pk, identity, vendor, _name in matched if pk in wanted}
        for _pk, identity, vendor_id, vendor_name in matched:
            if identity not in by_hash:
                continue
            pk, own_vendor = by_hash[identity]
            if vendor_id == own_vendor:
                continue
            booking = result.setdefault(pk, Booking(pk, allocation_total=totals.get(pk, 0)))
            if DOUBLE_BOOKED not in booking.codes:
                booking.codes.insert(0, DOUBLE_BOOKED)
            if vendor_name not in booking.other_vendors:
                booking.other_vendors.append(vendor_name)
    return result


def team_bookings(engagement: Any, day: datetime.date, user: Any) -> dict[int, Booking]:
    """The warnings of everyone on the engagement's vendor side on D."""
    members = TeamAssignment.objects.filter(
        on_team_q(day),
        engagement=engagement,
        side=TeamSide.VENDOR,
        member__isnull=False,
    ).values_list("member_id", flat=True)
    return bookings(members, day, user)
