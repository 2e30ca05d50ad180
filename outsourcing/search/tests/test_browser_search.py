"""A manager finds a person by employee number from the header's search box and opens their page."""

from __future__ import annotations

import datetime

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.teams.models import TeamMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_header_search_finds_a_person_by_employee_number(browser_page, manager, vendor_a):
    TeamMember.objects.create(
        vendor=vendor_a,
        full_name="赵敏 Zhao Min",
        employee_number="HX-2049",
        employment_type="regular",
        hire_date=datetime.date(2021, 3, 1),
        title="Network engineer",
    )
    page = browser_page
    browser_login(page, "manager")
    page.fill("#global-search-q", "HX-204")
    option = page.locator(".search-suggestions a[role=option]", has_text="赵敏 Zhao Min")
    option.wait_for()
    save_screenshot(page, "search-suggestions")
    option.click()
    page.wait_for_url("**/teams/members/*/")
    assert page.locator("h1").inner_text() == "赵敏 Zhao Min"
