"""The demo data as a manager sees it: dashboard cards, the gain-sharing explanation, in Chinese too."""

from io import StringIO

import pytest
from django.core.management import call_command

from conftest import browser_login, save_screenshot
from outsourcing.engagements.models import Engagement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_demo_payouts_and_dashboard(browser_page):
    call_command("demo", stdout=StringIO())
    page = browser_page
    browser_login(page, "manager", "Manager-Demo-2026")
    assert page.locator(".card", has_text="Late deliverables").count() == 1
    save_screenshot(page, "engagement-dashboard-cards")

    benefit = Engagement.objects.get(code="BEN-2026-004")
    page.goto(f"{page.base_url}/engagements/{benefit.pk}/#benefit")
    page.wait_for_selector("#benefit:not([hidden])")
    assert "Payout =" in page.locator("#benefit").inner_text()
    save_screenshot(page, "engagement-benefit")

    page.select_option("#lang-select", "zh-hans")
    page.wait_for_selector("[role=tab]:has-text('收益分享')")
    dev = Engagement.objects.get(code="DEV-2026-002")
    page.goto(f"{page.base_url}/engagements/{dev.pk}/#deliverables")
    page.wait_for_selector("#deliverables:not([hidden])")
    assert "逾期" in page.locator("#deliverables").inner_text()
    save_screenshot(page, "engagement-deliverables-zh")
