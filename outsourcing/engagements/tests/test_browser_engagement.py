"""A manager walks through an engagement: list, detail tabs with SLA charts, activation refused."""

import datetime
from decimal import Decimal

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.core.access import SYSTEM
from outsourcing.engagements.actions import do_record_measurement
from outsourcing.engagements.models import Engagement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_sla_attainment_and_cannot_activate_without_a_signed_agreement(
    browser_page, manager, service, availability, response_time
):
    for month, (a, r) in enumerate((("99.95", "3"), ("99.7", "4.5"), ("99.92", "3.9"), ("99.3", "6")), start=1):
        period = datetime.date(2026, month, 1)
        do_record_measurement(
            service, metric_id=availability.pk, period_start=period, value=Decimal(a), acting_user=SYSTEM
        )
        do_record_measurement(
            service, metric_id=response_time.pk, period_start=period, value=Decimal(r), acting_user=SYSTEM
        )
    page = browser_page
    browser_login(page, "manager")
    page.click("nav >> text=Engagements")
    page.wait_for_selector(f"text={service.title}")
    save_screenshot(page, "engagement-list")

    page.click(f"text={service.title}")
    page.wait_for_selector("h1")
    save_screenshot(page, "engagement-overview")
    page.click("[role=tab][data-tab=sla]")
    assert page.locator("#sla svg.chart").count() == 2
    save_screenshot(page, "engagement-sla")

    page.click("[role=tab][data-tab=overview]")
    page.click("button:has-text('Move to Vendor selection')")
    page.wait_for_selector("text=The engagement is now Vendor selection.")
    page.click("button:has-text('Activate with override')")
    page.wait_for_selector(".message >> text=with a signed copy is on file")
    assert Engagement.objects.get(pk=service.pk).status == "selection"
    save_screenshot(page, "engagement-activation-refused")
