"""A key-person replacement walked through the browser: the vendor proposes, the manager approves."""

import datetime

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.teams.actions import do_add_to_team
from outsourcing.teams.models import Replacement, TeamAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vendor_proposes_and_manager_approves_a_key_person_replacement(
    browser_page, manager, vendor_a_user, engagement_a, person
):
    lead = person(engagement_a.vendor, full_name="王磊 Wang Lei")
    person(engagement_a.vendor, full_name="周杰 Zhou Jie")
    do_add_to_team(
        engagement_a,
        acting_user=manager,
        member=lead,
        role="Project manager",
        key_person=True,
        start_date=datetime.date(2024, 1, 1),
    )
    page = browser_page
    url = f"{page.base_url}/teams/engagements/{engagement_a.pk}/team"

    browser_login(page, "alice_a")
    page.goto(url + "#replacements")
    page.select_option("#id_outgoing", label="王磊 Wang Lei · Project manager")
    page.select_option("#id_successor", label="周杰 Zhou Jie")
    page.fill("#id_reason", "王磊调任总部 — moves to headquarters")
    page.fill("#id_effective_date", "2030-01-01")
    page.click("#propose-form button[type=submit]")
    page.wait_for_selector("text=it takes effect when the owner approves it")
    save_screenshot(page, "teams-replacement-proposed")
    assert Replacement.objects.get().status == "pending"
    assert TeamAssignment.objects.get().end_date is None
    page.click("button[type=submit]:has-text('Log out')")

    browser_login(page, "manager")
    page.goto(url + "#replacements")
    assert page.is_visible("text=Successor's eligibility then")
    page.click("button[value=approve]")
    page.wait_for_selector("text=Replacement approved")
    save_screenshot(page, "teams-replacement-approved")
    assert Replacement.objects.get().status == "approved"
    assert TeamAssignment.objects.filter(end_date__isnull=True).get().member.full_name == "周杰 Zhou Jie"
