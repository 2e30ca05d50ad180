"""Vendor onboarding walked through the browser: the manager invites a contact from the vendor's page, the
contact opens the e-mailed link, chooses a password and signs in as a user of that vendor."""

import re

import pytest
from django.core import mail

from conftest import browser_login, save_screenshot
from outsourcing.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invitation_from_the_managers_click_to_the_contacts_first_sign_in(browser_page, manager, vendor_a):
    page = browser_page
    browser_login(page, "manager")
    page.goto(f"{page.base_url}/vendors/{vendor_a.pk}/")
    page.click("text=Invite a contact")
    page.fill("#id_email", "chen.jing@vendor-a.example")
    page.fill("#id_name", "陈静 Chen Jing")
    page.select_option("#id_language", "en")
    page.click("#invite-form button[type=submit]")
    page.wait_for_selector("text=Invitation sent to chen.jing@vendor-a.example")
    save_screenshot(page, "accounts-invitation-sent")
    page.click("button[type=submit]:has-text('Log out')")

    [message] = mail.outbox
    link = re.search(r"http\S+/accounts/invite/\S+/", message.body).group(0)
    page.goto(page.base_url + "/accounts/" + link.split("/accounts/", 1)[1])
    page.wait_for_selector("text=You are invited to keep the records of")
    page.fill("#id_username", "chenjing")
    page.fill("#id_password", "Vendor-Contact-2026")
    page.fill("#id_password_again", "Vendor-Contact-2026")
    save_screenshot(page, "accounts-invitation-accept")
    page.click("button[type=submit]")
    page.wait_for_selector("text=sign in with your new password")

    browser_login(page, "chenjing", "Vendor-Contact-2026")
    assert page.is_visible(f"text={vendor_a.name}")
    save_screenshot(page, "accounts-invitation-first-sign-in")
    user = User.objects.get(username="chenjing")
    assert (user.role, user.vendor_id) == ("vendor", vendor_a.pk)
