"""A vendor user imports a roster file through the browser and looks at the roster and its stability."""

import datetime

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.teams.imports import COLUMNS
from outsourcing.teams.models import TeamMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vendor_user_imports_a_roster_and_sees_its_stability(browser_page, vendor_a_user, tmp_path):
    rows = [",".join(COLUMNS)]
    for i in range(30):
        hire = datetime.date(2018, 1, 1) + datetime.timedelta(days=97 * i)
        left = (hire + datetime.timedelta(days=400)).isoformat() if i % 4 == 0 else ""
        rows.append(f"V{i:03d},员工{i} Staff {i},regular,Engineer,{hire.isoformat()},,{left},12")
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")

    page = browser_page
    browser_login(page, "alice_a")
    vendor_id = vendor_a_user.vendor_id
    page.goto(f"{page.base_url}/teams/vendors/{vendor_id}/import")
    page.set_input_files("#id_file", str(roster))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=30 added, 0 updated, 0 unchanged.")
    save_screenshot(page, "teams-import-done")
    assert TeamMember.objects.filter(vendor_id=vendor_id).count() == 30

    page.goto(f"{page.base_url}/teams/vendors/{vendor_id}/members/")
    assert page.is_visible("text=员工0 Staff 0")
    save_screenshot(page, "teams-roster")

    page.goto(f"{page.base_url}/teams/vendors/{vendor_id}/stability?start=2022-01-01&end=2024-12-31")
    assert page.locator("svg.chart").count() == 2
    save_screenshot(page, "teams-stability")
