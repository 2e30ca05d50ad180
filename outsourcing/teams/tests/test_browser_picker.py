"""In the browser: the team page's person picker over a roster too large to list finds people as the user types
(htmx asks the search app for the matches), adds the chosen one to the team, and passes axe-core."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.core import pickers
from outsourcing.core.tests.test_browser_accessibility import _axe_source, _violations
from outsourcing.engagements.models import Engagement
from outsourcing.teams.models import TeamAssignment, TeamMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_person_picker_finds_as_you_type_and_adds_to_the_team(
    browser_page: Any, manager: Any, vendor_a: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(pickers, "SMALL", 10)  # 30 people: too many to list, for this test
    engagement = Engagement.objects.create(
        code="OM-P", title="Picker O&M", form="service", vendor=vendor_a, start_date=datetime.date(2024, 1, 1)
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            vendor=vendor_a,
            full_name=f"Person {i:02d}",
            employee_number=f"PK{i:03d}",
            employment_type="regular",
            hire_date=datetime.date(2019, 1, 1),
        )
        for i in range(30)
    )
    TeamMember.objects.create(
        vendor=vendor_a,
        full_name="赵敏 Zhao Min",
        employee_number="HX-2049",
        employment_type="regular",
        hire_date=datetime.date(2019, 1, 1),
    )
    page = browser_page
    page.set_default_timeout(60_000)  # a shared, busy machine is slow to serve the first page
    browser_login(page, "manager")
    page.goto(page.base_url + f"/teams/engagements/{engagement.pk}/team")
    find = page.locator("#id_member__find")
    assert page.locator("#id_member option").count() == 1 + pickers.SHOWN  # the blank and the first 20
    find.fill("HX-20")
    page.locator("#id_member option", has_text="赵敏 Zhao Min").wait_for(state="attached")
    assert page.locator("#id_member option").count() == 2
    page.select_option("#id_member", label="赵敏 Zhao Min · HX-2049")
    save_screenshot(page, "picker-team-member")
    assert _violations(page, _axe_source()) == []
    page.fill("#id_role", "Network engineer")
    page.fill("#id_start_date", "2026-01-05")
    page.locator("form[action$='/team/add'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert TeamAssignment.objects.filter(engagement=engagement, member__employee_number="HX-2049").exists()
