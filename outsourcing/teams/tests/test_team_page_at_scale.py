"""An engagement's team page with a large team: read and evaluated a page at a time, the per-row "take off
the team" fields rendered once, the figures counted by the database."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.urls import reverse

from outsourcing.teams.models import TeamAssignment, TeamMember

D = datetime.date
OPTION = re.compile(r'<option value="([^"]*)"(\s+selected)?>([^<]*)</option>')


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(html)]


def test_every_current_row_can_be_taken_off_the_team(web: Any, manager: Any, engagement_a: Any) -> None:
    people = TeamMember.objects.bulk_create(
        TeamMember(
            vendor=engagement_a.vendor, full_name=f"P{i:02d}", employment_type="regular", hire_date=D(2020, 1, 1)
        )
        for i in range(30)
    )
    TeamAssignment.objects.bulk_create(
        TeamAssignment(engagement=engagement_a, member=p, role="Dev", start_date=D(2024, 1, 1)) for p in people
    )
    page = web(manager).get(reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk})).content.decode()
    # One form per row, and the bulk bar's (take the ticked people off at once).
    assert page.count('name="leave_reason"') == 31
    assert page.count('name="end_date"') == 31
    assert page.count('form="end-selected"') == 30
    for assignment in TeamAssignment.objects.filter(engagement=engagement_a):
        assert reverse("teams:assignment-end", kwargs={"pk": assignment.pk}) in page


def test_a_large_team_is_shown_a_page_at_a_time(web: Any, manager: Any, engagement_a: Any) -> None:
    people = TeamMember.objects.bulk_create(
        TeamMember(
            vendor=engagement_a.vendor, full_name=f"P{i:03d}", employment_type="regular", hire_date=D(2020, 1, 1)
        )
        for i in range(60)
    )
    TeamAssignment.objects.bulk_create(
        TeamAssignment(engagement=engagement_a, member=p, role="Dev", start_date=D(2024, 1, 1)) for p in people
    )
    url = reverse("teams:engagement-team", kwargs={"pk": engagement_a.pk})
    first = web(manager).get(url)
    page = first.content.decode()
    assert page.count('name="leave_reason"') == 50 + 1 and "(60)" in page  # each row's form, and the bulk bar's
    assert "team_page=2#team" in page
    second = web(manager).get(url, {"team_page": 2}).content.decode()
    assert second.count('name="leave_reason"') == 10 + 1
    shown = {p.full_name for p in people if f'data-person="{p.full_name}"' in page + second}
    assert len(shown) == 60  # every person is on one of the two pages
    assert first.context["metrics"].size_end == 60  # the figures count the whole team
