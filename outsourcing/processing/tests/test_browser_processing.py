"""The processor confirms an order and reports a dispatch; the owner receives against it with an inspection
that rejects part of it, and sees the receipt, the notes and the materials used on the order's page."""

from decimal import Decimal

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.processing import actions
from outsourcing.processing.models import Receipt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_processor_confirms_and_dispatches_and_the_owner_receives_with_a_rejection(
    browser_page, manager, vendor_a_user, order, casting
):
    actions.do_issue_order(order, acting_user=manager)
    actions.do_issue_material(order, acting_user=manager, material=casting, quantity=Decimal("105"))
    page = browser_page
    url = f"{page.base_url}/processing/{order.pk}/"

    browser_login(page, "alice_a")
    page.goto(url)
    page.click("button:has-text('Confirm order')")
    page.wait_for_selector(".badge:has-text('Confirmed by processor')")
    page.select_option("#id_dispatch-line", index=1)
    page.fill("#id_dispatch-quantity", "40")
    page.fill("#id_dispatch-note", "第一批 first lot")
    page.click("button:has-text('Report dispatch')")
    page.wait_for_selector("#dispatches + .table-wrap >> text=第一批 first lot")
    save_screenshot(page, "processing-processor-dispatched")
    assert page.locator("text=Receive goods").count() == 0  # the owner's forms are not the processor's

    page.context.clear_cookies()
    browser_login(page, "manager")
    page.goto(url)
    page.select_option("#id_receive-line", index=1)
    page.select_option("#id_receive-dispatch", index=1)
    page.fill("#id_receive-quantity", "40")
    page.fill("#id_receive-accepted", "36")
    page.fill("#id_receive-rejected", "3")
    page.fill("#id_receive-rework", "1")
    page.select_option("#id_receive-defect_reason", "dimension")
    page.fill("#id_receive-inspection_notes", "法兰孔距超差 flange holes off")
    page.click("button:has-text('Record receipt')")
    page.wait_for_selector("#receipts + .table-wrap >> text=法兰孔距超差 flange holes off")
    row = page.locator("#receipts + .table-wrap tbody tr").first
    assert "Dimension out of tolerance" in row.inner_text()
    materials = page.locator("#materials ~ .table-wrap").first.inner_text()
    assert "42" in materials and "63" in materials  # 40 × 1.05 expected; 105 − 42 held
    save_screenshot(page, "processing-owner-received-with-rejection")
    receipt = Receipt.objects.get()
    assert (receipt.accepted, receipt.rejected, receipt.rework, receipt.dispatch is not None) == (36, 3, 1, True)
