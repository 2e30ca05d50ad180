"""Tables whose rows are all on the page sort in the browser (core/static/core/app.js); server-sorted and paged
tables keep their links. Pinned on the users list: text, numbers-as-text and the ascending/descending toggle."""

import pytest

from conftest import browser_login
from outsourcing.accounts.models import User
from outsourcing.core.access import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "table.data tbody tr", f"rows => rows.map(r => r.cells[{index}].textContent.trim())"
    )


def test_a_detail_table_sorts_by_its_header_both_ways_and_says_so(browser_page, admin):
    for username, last in (("zoe", "Zhang"), ("bob", "Brown"), ("carl", "Adams")):
        User.objects.create_user(username, password="Correct-Horse-42", role=Role.AUDITOR, last_name=last)
    page = browser_page
    browser_login(page, "admin")
    page.goto(page.base_url + "/accounts/users/")
    assert column(page, 0) == ["admin", "bob", "carl", "zoe"]  # the server's order

    header = page.locator("table.data thead th", has_text="Name").nth(1)  # "User name" is the first match
    header.locator("button.th-sort").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert column(page, 1) == ["Adams", "Admin", "Brown", "Zhang"]

    header.locator("button.th-sort").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert column(page, 1) == ["Zhang", "Brown", "Admin", "Adams"]

    first = page.locator("table.data thead th").first
    assert first.get_attribute("aria-sort") is None
    first.locator("button.th-sort").focus()
    page.keyboard.press("Enter")  # a real button: the keyboard sorts too
    assert first.get_attribute("aria-sort") == "ascending"
    assert column(page, 0) == ["admin", "bob", "carl", "zoe"]
    assert header.get_attribute("aria-sort") is None


def test_server_sorted_tables_keep_their_links(browser_page, manager, vendor_a):
    page = browser_page
    browser_login(page, "manager")
    page.goto(page.base_url + "/vendors/")
    assert page.locator("table.data thead th a").count() > 0
    assert page.locator("table.data thead button.th-sort").count() == 0
