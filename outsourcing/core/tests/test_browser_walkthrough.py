"""A person's first walk: log in, open the vendor list, register a vendor (first wrongly), see the audit."""

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.vendors.models import Vendor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_registers_a_vendor_and_finds_it_in_the_audit_trail(browser_page, manager, vendor_a):
    page = browser_page
    browser_login(page, "manager")
    page.click("nav >> text=Vendors")
    page.wait_for_selector("text=" + vendor_a.name)
    save_screenshot(page, "vendor-list")

    page.click("text=New vendor")
    page.fill("#id_name", "东方智联科技有限公司")
    page.fill("#id_registration_number", vendor_a.registration_number)  # already taken
    page.select_option("#id_country", "CN")
    page.click("button:has-text('Save')")
    error = page.locator(".field.has-error .errorlist")
    assert "already exists" in error.inner_text()
    assert Vendor.objects.count() == 1
    save_screenshot(page, "vendor-form-error")

    page.fill("#id_registration_number", "91310000MA1FL0009J")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('东方智联科技有限公司')")
    assert Vendor.objects.filter(registration_number="91310000MA1FL0009J").exists()

    page.click("nav >> text=Audit trail")
    row = page.locator("tr", has_text="东方智联科技有限公司").first
    assert "created" in row.inner_text()
    assert "manager" in row.inner_text().lower()
    save_screenshot(page, "audit-trail")


def test_on_a_phone_the_menu_opens_from_the_toggle_and_the_keyboard_reaches_content(browser_page, manager):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "manager")
    assert not page.locator("nav.sidebar").is_visible()
    page.click("[data-nav-toggle]")
    assert page.locator("nav.sidebar").is_visible()
    assert page.get_attribute("[data-nav-toggle]", "aria-expanded") == "true"
    page.click("nav.sidebar >> text=Vendors")
    page.wait_for_url("**/vendors/")
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.className") == "skip-link"
    save_screenshot(page, "phone-vendor-list")
