"""The team page of a large team costs the same as a small one's: the eligible share is counted by the database
(pinned equal to the verdicts), only the shown page's verdicts are worked out, and the outgoing person of a
replacement is found by typing once the team is too large to list."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outsourcing.core.pickers import FIND, SMALL
from outsourcing.teams.eligibility import evaluate_team, full_months
from outsourcing.teams.eligibility_counts import eligibility_counts, full_months_expression
from outsourcing.teams.forms import ReplacementForm
from outsourcing.teams.models import TeamAssignment, TeamMember, Waiver

pytestmark = pytest.mark.django_db
D = datetime.date


def _dates() -> list[datetime.date]:
    """Days at the edges of the rules: month ends (28–31), the days around the people's anniversaries."""
    days = []
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            days += [D(year, month, d) for d in sorted({1, 9, 10, 27, 28, 29, 30, 31}) if d <= last]
    return days


def _place(engagement: Any, member: TeamMember, start: datetime.date, end: datetime.date | None = None) -> None:
    TeamAssignment.objects.create(engagement=engagement, member=member, role="Dev", start_date=start, end_date=end)


@pytest.fixture
def mixed_team(engagement_a: Any, vendor_b: Any, person: Any, manager: Any) -> Any:
    """Someone at the edge of every condition of `reasons_for`, and places on and off the team."""
    v = engagement_a.vendor
    people = [
        person(v, full_name="anniversary", hire_date=D(2023, 3, 10), probation_end_date=D(2023, 6, 9)),
        person(v, full_name="leap day", hire_date=D(2024, 2, 29), probation_end_date=D(2024, 3, 31)),
        person(v, full_name="month end", hire_date=D(2023, 1, 31), probation_end_date=D(2023, 2, 28)),
        person(v, full_name="30th", hire_date=D(2023, 8, 30), probation_end_date=D(2023, 9, 1)),
        person(
            v,
            full_name="exp 21",
            hire_date=D(2024, 1, 31),
            probation_end_date=D(2024, 2, 1),
            prior_experience_months=21,
        ),
        person(
            v,
            full_name="exp 20",
            hire_date=D(2024, 1, 31),
            probation_end_date=D(2024, 2, 1),
            prior_experience_months=20,
        ),
        person(v, full_name="contractor", employment_type="contractor"),
        person(v, full_name="probation unknown", probation_end_date=None),
        person(v, full_name="probation ends", hire_date=D(2022, 1, 1), probation_end_date=D(2024, 6, 28)),
        person(v, full_name="no contract", contract=False),
        person(v, full_name="left", hire_date=D(2021, 1, 1), left_date=D(2024, 9, 10)),
        person(v, full_name="hired late", hire_date=D(2024, 5, 27), probation_end_date=D(2024, 8, 27)),
    ]
    waived = person(v, full_name="waived", contract=False)
    revoked = person(v, full_name="revoked", contract=False)
    for member in [*people, waived, revoked]:
        _place(engagement_a, member, max(D(2023, 1, 1), member.hire_date))
    Waiver.objects.create(
        engagement=engagement_a,
        member=waived,
        justification="Kept on by decision",
        valid_from=D(2024, 3, 9),
        valid_until=D(2024, 10, 27),
    )
    Waiver.objects.create(
        engagement=engagement_a,
        member=revoked,
        justification="Kept on by decision",
        valid_from=D(2023, 1, 1),
        valid_until=D(2030, 1, 1),
        revoked_at=timezone.now(),
    )
    later = person(v, full_name="joins later")
    _place(engagement_a, later, D(2024, 7, 10))
    gone = person(v, full_name="left the team")
    _place(engagement_a, gone, D(2023, 1, 1), D(2024, 2, 29))
    twice = person(v, full_name="two places")
    _place(engagement_a, twice, D(2023, 1, 1), D(2023, 12, 31))
    _place(engagement_a, twice, D(2024, 1, 10))
    stranger = person(vendor_b, full_name="another vendor's")  # an earlier vendor's person: not on the team
    _place(engagement_a, stranger, D(2023, 1, 1))
    return engagement_a


def test_the_counts_equal_the_verdicts_on_every_edge_day(mixed_team: Any) -> None:
    for engagement_thresholds in ((12, 24), (0, 0), (6, 30)):
        mixed_team.min_tenure_months, mixed_team.min_experience_months = engagement_thresholds
        for day in _dates():
            verdicts = evaluate_team(mixed_team, day)
            expected = (len(verdicts), sum(1 for v in verdicts if v.eligible))
            assert eligibility_counts(mixed_team, day) == expected, (engagement_thresholds, day)


def test_full_months_in_sql_equals_full_months(engagement_a: Any, person: Any) -> None:
    hires = [D(2023, 1, 31), D(2024, 2, 29), D(2023, 8, 30), D(2023, 3, 10), D(2023, 12, 1), D(2023, 5, 31)]
    for hire in hires:
        person(engagement_a.vendor, full_name=str(hire), hire_date=hire, contract=False)
    for day in _dates():
        found = dict(
            TeamMember.objects.filter(hire_date__lte=day)
            .annotate(months=full_months_expression("hire_date", day))
            .values_list("hire_date", "months")
        )
        assert found == {h: full_months(h, day) for h in hires if h <= day}, day


def _team_of(engagement: Any, person: Any, size: int) -> None:
    for i in range(size):
        member = person(engagement.vendor, full_name=f"P{i:03d}", contract=i % 2 == 0)
        _place(engagement, member, D(2024, 1, 1))


def _queries(client: Any, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_team_page_costs_the_same_queries_for_3_and_120_people(
    web: Any, manager: Any, engagement_a: Any, engagement_b: Any, person: Any
) -> None:
    _team_of(engagement_a, person, 3)
    _team_of(engagement_b, person, SMALL + 20)  # past a page, and past a plain select of its places
    client = web(manager)
    few, _small = _queries(client, reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk}))
    many, large = _queries(client, reverse("teams:engagement-team", kwargs={"pk": engagement_b.pk}))
    assert many <= few
    metrics = large.context["metrics"]
    assert (metrics.evaluated, metrics.eligible) == (SMALL + 20, (SMALL + 20 + 1) // 2)
    shown = [a for a in large.context["current_page"] if a.verdict is not None]
    assert len(shown) == 50 and all(a.verdict.eligible == (int(a.member.full_name[1:]) % 2 == 0) for a in shown)


def test_a_large_teams_outgoing_person_is_found_by_typing(
    web: Any, manager: Any, vendor_a_user: Any, engagement_a: Any, person: Any
) -> None:
    _team_of(engagement_a, person, SMALL + 1)
    page = web(vendor_a_user).get(reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk})).content.decode()
    form = page[page.index('id="propose-form"') :]
    form = form[: form.index("</form>")]
    assert f'name="outgoing{FIND}"' in form and "kind=place" in form and f"team={engagement_a.pk}" in form
    assert form[form.index('id="id_outgoing"') :].split("</select>")[0].count("<option") <= 21  # not 101 places
    # With JavaScript: the search app offers the team's open places that match.
    options = web(vendor_a_user).get(
        reverse("search:options"),
        {"kind": "place", "field": "outgoing", f"outgoing{FIND}": "P042", "team": engagement_a.pk, "current": 1},
    )
    place = TeamAssignment.objects.get(engagement=engagement_a, member__full_name="P042")
    assert f'value="{place.pk}"' in options.content.decode() and options.content.decode().count("<option") == 2
    # Without it: the typed name chooses the one place that matches.
    typed = ReplacementForm(
        {f"outgoing{FIND}": "P042", "reason": "moves on", "effective_date": "2030-01-01"}, engagement=engagement_a
    )
    typed.fields["successor"].required = False
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["outgoing"] == place


def test_the_place_picker_offers_only_the_teams_open_vendor_places(
    web: Any, manager: Any, engagement_a: Any, engagement_b: Any, person: Any
) -> None:
    mine = person(engagement_a.vendor, full_name="Mine")
    _place(engagement_a, mine, D(2024, 1, 1))
    ended = person(engagement_a.vendor, full_name="Mine too")
    _place(engagement_a, ended, D(2024, 1, 1), D(2024, 6, 30))
    other = person(engagement_b.vendor, full_name="Mine elsewhere")
    _place(engagement_b, other, D(2024, 1, 1))
    body = (
        web(manager)
        .get(
            reverse("search:options"),
            {"kind": "place", "field": "outgoing", f"outgoing{FIND}": "Mine", "team": engagement_a.pk, "current": 1},
        )
        .content.decode()
    )
    assert "Mine · Dev" in body and "Mine too" not in body and "elsewhere" not in body
    nothing = web(manager).get(
        reverse("search:options"), {"kind": "place", "field": "outgoing", f"outgoing{FIND}": "Mine"}
    )
    assert nothing.content.decode().count("<option") == 1  # no team named: no places


def test_pending_successors_are_evaluated_per_first_day_not_per_replacement(
    web: Any, manager: Any, engagement_a: Any, person: Any
) -> None:
    from outsourcing.teams.actions import do_add_to_team, do_propose_replacement

    def propose(n: int) -> None:
        for i in range(n):
            lead = do_add_to_team(
                engagement_a,
                acting_user=manager,
                member=person(engagement_a.vendor, full_name=f"Lead {n}-{i}"),
                role="Lead",
                key_person=True,  # a key person's replacement waits for the owner
                start_date=D(2024, 1, 1),
            )
            do_propose_replacement(
                engagement_a,
                outgoing=lead,
                successor=person(engagement_a.vendor, full_name=f"Next {n}-{i}", contract=i % 2 == 0),
                reason="Moves on",
                effective_date=D(2030, 1, 1),
                acting_user=manager,
            )

    url = reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk})
    client = web(manager)
    propose(1)
    few, _page = _queries(client, url)
    propose(4)
    many, page = _queries(client, url)
    assert many <= few
    verdicts = {r.successor.full_name: r.successor_verdict.eligible for r in page.context["pending"]}
    assert verdicts == {"Next 1-0": True, **{f"Next 4-{i}": i % 2 == 0 for i in range(4)}}
