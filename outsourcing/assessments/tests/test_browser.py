"""In a real browser: the manager reviews the questionnaire and the result; the vendor answers."""

from __future__ import annotations

import pytest

from conftest import browser_login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reviews_and_vendor_answers(browser_page, flow, manager, vendor_a, vendor_a_user, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit[vendor_a.pk] = 70
    assessment = flow(vendor_a, vendor_a_user)
    page = browser_page
    browser_login(page, "manager")
    page.goto(f"{page.base_url}/assessments/")
    page.click(f"a[href='/assessments/{assessment.pk}/']")
    assert page.locator("h1").first.inner_text().startswith("Small test template")
    save_screenshot(page, "assessment-questionnaire")
    page.click("[role=tab][data-tab=result]")
    assert page.locator("#result").is_visible()
    assert "Criterion fake_fit = 70.00" in page.locator("#result").inner_text()
    save_screenshot(page, "assessment-result")
    page.click("[role=tab][data-tab=questionnaire]")
    page.select_option(f"#score-{assessment.template.sections.first().items.first().pk}", "3")
    page.click("button:has-text('Save review')")
    page.wait_for_selector("#save-status:has-text('Saved at')")


def test_manager_compares_vendors(browser_page, manager, vendor_a, vendor_b, engagement_a, fake_fit) -> None:  # type: ignore[no-untyped-def]
    fake_fit.update({vendor_a.pk: 82, vendor_b.pk: 64})
    page = browser_page
    browser_login(page, "manager")
    page.goto(
        f"{page.base_url}/assessments/compare/?engagement={engagement_a.pk}&vendors={vendor_a.pk}&vendors={vendor_b.pk}"
    )
    assert "Weighted total" in page.content()
    save_screenshot(page, "assessment-compare")


def test_vendor_sees_answer_forms(browser_page, flow, vendor_a, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    assessment = flow(vendor_a, vendor_a_user, stop_at="sent")
    page = browser_page
    browser_login(page, "alice_a")
    page.goto(f"{page.base_url}/assessments/{assessment.pk}/")
    first = assessment.template.sections.first().items.first()
    page.select_option(f"#value-{first.pk}", "2")
    page.fill(f"#response-{first.pk}", "制度已发布")
    page.click("button:has-text('Save answers')")
    page.wait_for_selector("#save-status:has-text('Saved at')")
    save_screenshot(page, "assessment-vendor-answering")
