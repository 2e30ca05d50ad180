"""The benchmark's issue-13 rows: generated identity numbers (a few shared across vendors) and allocations, and
the timed portfolio-wide forecast and matching answer what the apps answer."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Count

from outsourcing.benchmark import unique
from outsourcing.benchmark.management.commands import benchmark
from outsourcing.teams.double_booking import double_booked, over_allocated
from outsourcing.teams.identity import keyed_hash, normalize, valid_resident_id
from outsourcing.teams.models import TeamAssignment, TeamMember

AS_OF = datetime.date(2026, 6, 15)
SMALL = benchmark.Sizes(vendors=12, members=600, measurements=300, seed=7)


@pytest.fixture
def portfolio(db: Any) -> benchmark.Portfolio:
    return benchmark.generate(SMALL, as_of=AS_OF, log=lambda _line: None)


def test_every_person_has_a_valid_identity_hash_and_some_share_one_across_vendors(portfolio):
    assert not TeamMember.objects.filter(identity_hash="").exists()
    shared = (
        TeamMember.objects.values("identity_hash").annotate(vendors=Count("vendor", distinct=True)).filter(vendors=2)
    )
    assert 0 < shared.count() <= SMALL.members // unique.SHARE_EVERY
    number = valid_resident_id(f"11{5:015d}")  # the 5th person's own number, stored as the app stores it
    assert unique.identity(5, SMALL.members) == {
        "identity_hash": keyed_hash(normalize(number)),
        "identity_last4": number[-4:],
    }
    shares = unique.SHARE_EVERY  # whose number is someone else's
    assert unique.identity(shares, SMALL.members) != unique.identity(shares - 1, SMALL.members)


def test_places_carry_allocations_and_the_timed_calls_agree_with_the_apps(portfolio):
    allocations = set(TeamAssignment.objects.values_list("allocation_percent", flat=True))
    assert {100, 50} <= allocations
    matched = unique.match_identities(AS_OF)
    assert matched == {
        "double_booked": double_booked(AS_OF).count(),
        "over_allocated": over_allocated(AS_OF).count(),
    }
    forecast = unique.forecast_portfolio(AS_OF)
    on_teams = TeamAssignment.objects.on_team(AS_OF).filter(member__left_date__isnull=True)
    assert 0 < forecast["teams"] <= on_teams.values("engagement_id").distinct().count()
    assert unique.booking_open_issues(AS_OF) >= 0
    labels = [label for label, _call in unique.scenarios(portfolio, AS_OF)]
    assert len(labels) == 3 and any("forecast" in label for label in labels)
