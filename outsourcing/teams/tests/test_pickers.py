"""Type-ahead pickers (core.pickers): a large set is never sent whole; the search box finds within the form's
scope and the user's visibility; without JavaScript one typed match chooses, several or none are an error."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from outsourcing.core import pickers
from outsourcing.teams.forms import AssignmentForm
from outsourcing.teams.models import TeamAssignment, TeamMember

D = datetime.date
OPTION = re.compile(r'<option value="(\d+)"')


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The messages are checked in English, whatever language an earlier test left active in this worker."""
    with translation.override("en"):
        yield


def _people(vendor: Any, count: int, prefix: str = "P", left: datetime.date | None = None) -> list[TeamMember]:
    return TeamMember.objects.bulk_create(
        TeamMember(
            vendor=vendor,
            full_name=f"{prefix}{i:03d}",
            employee_number=f"{prefix}N{i:03d}",
            employment_type="regular",
            hire_date=D(2020, 1, 1),
            left_date=left,
        )
        for i in range(count)
    )


def test_a_small_set_is_a_plain_select_of_all(engagement_a: Any) -> None:
    _people(engagement_a.vendor, 5)
    html = str(AssignmentForm(engagement=engagement_a, co_sourcing=False)["member"])
    assert len(OPTION.findall(html)) == 5
    assert "picker-find" not in html and 'name="member"' in html


def test_a_large_set_sends_only_the_matches_and_asks_the_search_app(engagement_a: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pickers, "SMALL", 10)
    people = _people(engagement_a.vendor, 40)
    html = str(AssignmentForm(engagement=engagement_a, co_sourcing=False)["member"])
    assert len(OPTION.findall(html)) == pickers.SHOWN  # the first ones, not all 40
    assert 'name="member__find"' in html and 'aria-label="' in html
    url = re.search(r'hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert url.startswith(reverse("search:options"))
    assert f"vendor={engagement_a.vendor_id}" in url and "current=1" in url and "field=member" in url
    # Bound with a chosen person and a typed text: the chosen one stays, the matches follow.
    form = AssignmentForm({"member": people[35].pk, "member__find": "P02"}, engagement=engagement_a, co_sourcing=False)
    offered = [int(pk) for pk in OPTION.findall(str(form["member"]))]
    assert offered[0] == people[35].pk
    assert offered[1:] == [p.pk for p in people[20:30]]


def test_without_javascript_one_typed_match_chooses_it(engagement_a: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pickers, "SMALL", 10)
    people = _people(engagement_a.vendor, 30)
    data = {"member__find": "PN017", "role": "Dev", "start_date": "2026-01-05"}
    form = AssignmentForm(data, engagement=engagement_a, co_sourcing=False)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["member"] == people[17]


@pytest.mark.parametrize(("typed", "message"), [("P01", "10 match “P01”"), ("nobody", "Nothing matches “nobody”")])
def test_without_javascript_several_or_no_matches_are_an_error_by_the_field(
    engagement_a: Any, monkeypatch: Any, typed: str, message: str
) -> None:
    monkeypatch.setattr(pickers, "SMALL", 10)
    _people(engagement_a.vendor, 30)
    form = AssignmentForm(
        {"member__find": typed, "role": "Dev", "start_date": "2026-01-05"}, engagement=engagement_a, co_sourcing=False
    )
    assert not form.is_valid()
    assert message in form.errors["member"][0]


def test_a_typed_match_outside_the_fields_set_is_not_chosen(engagement_a: Any, vendor_b: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pickers, "SMALL", 10)
    _people(engagement_a.vendor, 30)
    _people(vendor_b, 1, prefix="Other")
    form = AssignmentForm(
        {"member__find": "Other000", "role": "Dev", "start_date": "2026-01-05"},
        engagement=engagement_a,
        co_sourcing=False,
    )
    assert not form.is_valid() and "Nothing matches" in form.errors["member"][0]


def _options(client: Any, **params: Any) -> list[int]:
    response = client.get(reverse("search:options"), params)
    assert response.status_code == 200
    return [int(pk) for pk in OPTION.findall(response.content.decode())]


def test_the_options_endpoint_finds_within_the_scope(web: Any, manager: Any, engagement_a: Any, vendor_b: Any) -> None:
    ours = _people(engagement_a.vendor, 3, prefix="Wang")
    gone = _people(engagement_a.vendor, 1, prefix="Wangold", left=D(2020, 6, 1))
    theirs = _people(vendor_b, 2, prefix="Wang")
    client = web(manager)
    everyone = _options(client, kind="person", field="member", member__find="wang")
    assert set(everyone) == {p.pk for p in ours + gone + theirs}
    scoped = _options(
        client, kind="person", field="member", vendor=engagement_a.vendor_id, current=1, member__find="wang"
    )
    assert scoped == [p.pk for p in ours]
    # The chosen record comes first and stays selected whatever is typed.
    body = client.get(
        reverse("search:options"), {"kind": "person", "field": "member", "member": theirs[0].pk, "member__find": "zzz"}
    ).content.decode()
    assert f'<option value="{theirs[0].pk}" selected>' in body
    TeamAssignment.objects.create(engagement=engagement_a, member=ours[1], role="Dev", start_date=D(2025, 1, 1))
    assert _options(client, kind="person", field="member", team=engagement_a.pk, member__find="wang") == [ours[1].pk]


def test_the_options_endpoint_shows_a_vendor_user_only_its_own(
    web: Any, vendor_b_user: Any, engagement_a: Any, vendor_b: Any
) -> None:
    _people(engagement_a.vendor, 3, prefix="Li")
    own = _people(vendor_b, 2, prefix="Li")
    client = web(vendor_b_user)
    assert _options(client, kind="person", field="m", m__find="li") == [p.pk for p in own]
    assert _options(client, kind="person", field="m", vendor=engagement_a.vendor_id, m__find="li") == []
    assert _options(client, kind="vendor", field="v", v__find="Vendor") == [vendor_b.pk]


def test_the_options_endpoint_refuses_an_unknown_kind_and_strangers(web: Any, manager: Any) -> None:
    assert web(manager).get(reverse("search:options"), {"kind": "user", "field": "x"}).status_code == 400
    assert web(manager).get(reverse("search:options"), {"kind": "vendor"}).status_code == 400
    assert web(None).get(reverse("search:options"), {"kind": "vendor", "field": "x"}).status_code == 302


def test_the_team_page_costs_the_same_for_a_small_and_a_large_roster(
    web: Any, manager: Any, engagement_a: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(pickers, "SMALL", 10)
    client = web(manager)
    url = reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk})

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries.captured_queries), len(response.content)

    _people(engagement_a.vendor, 15)
    small_queries, small_size = measure()
    _people(engagement_a.vendor, 200, prefix="Q")
    large_queries, large_size = measure()
    assert large_queries == small_queries
    assert large_size < small_size + 2_000  # the 200 new people are not in the page
