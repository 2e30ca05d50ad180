"""In a real browser: a vendor answers a 15-item assessment on one page — each answer saved in place (autosave,
no page load), errors next to the item — and the reviewer finds the scores starting from the vendor's rating."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.assessments import actions
from outsourcing.assessments.models import Answer, AssessmentTemplate, TemplateItem, TemplateSection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/work/helpers/shots"
NOTHING_WIDER = "document.getElementById('main').scrollWidth <= document.getElementById('main').clientWidth"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    save_screenshot(page, name)
    if os.path.isdir(SHOTS):
        page.screenshot(path=os.path.join(SHOTS, f"answering-{name}.png"), full_page=True)


def _fifteen_items() -> AssessmentTemplate:
    template = AssessmentTemplate.objects.create(name="十五项管理体系检查 Fifteen items")
    for s in range(3):
        section = TemplateSection.objects.create(template=template, code=f"s{s}", title=f"Section {s + 1}", order=s)
        for i in range(5):
            TemplateItem.objects.create(
                section=section,
                code=f"q{s * 5 + i + 1:02d}",
                text=f"Question {s * 5 + i + 1}",
                weight=Decimal(1),
                order=i,
            )
    return template


def test_a_vendor_answers_fifteen_items_without_a_page_load(browser_page, manager, vendor_a, vendor_a_user) -> None:  # type: ignore[no-untyped-def]
    template = _fifteen_items()
    assessment = actions.do_create_assessment(acting_user=manager, vendor=vendor_a, template=template)
    actions.do_send_assessment(assessment, acting_user=manager)
    items = list(TemplateItem.objects.filter(section__template=template).order_by("section__order", "order"))
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, "alice_a")
    page.goto(f"{page.base_url}/assessments/{assessment.pk}/")
    page.evaluate("window.__stayed = 'same page'")  # gone if the page were loaded again
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)

    page.select_option(f"#value-{items[0].pk}", "3")
    page.fill(f"#response-{items[0].pk}", "制度汇编第 1 章")
    page.wait_for_selector("#save-status:has-text('Saved at')")  # autosave, without pressing anything

    for n, item in enumerate(items[1:], start=2):
        page.select_option(f"#value-{item.pk}", str(n % 5))
        page.fill(f"#response-{item.pk}", f"说明 {n}")
    page.click("button:has-text('Save answers')")
    page.wait_for_selector("#save-status:has-text('Saved at')")
    assert page.evaluate("window.__stayed") == "same page"
    assert loads == []  # fifteen answers, not one page load
    shot(page, "fifteen-items-saved")
    page.set_viewport_size({"width": 390, "height": 844})
    # Usable on a phone: nothing of the page's own content reaches past the screen's edge.
    assert page.evaluate(NOTHING_WIDER)
    shot(page, "questionnaire-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    # An answer the scale does not allow is refused next to its item; the page stays as the user left it.
    extra_option = "'<option value=\"9\">9</option>'"
    page.evaluate(f"document.querySelector('#value-{items[4].pk}').insertAdjacentHTML('beforeend', {extra_option})")
    page.select_option(f"#value-{items[4].pk}", "9")
    page.click("button:has-text('Save answers')")
    page.wait_for_selector(f"#item-errors-{items[4].pk} .errorlist")
    assert "Choose one of" in page.inner_text(f"#item-errors-{items[4].pk}")
    assert "Nothing was saved" in page.inner_text("#save-status")
    shot(page, "item-error")
    page.select_option(f"#value-{items[4].pk}", "1")
    page.click("button:has-text('Save answers')")
    page.wait_for_selector(f"#item-errors-{items[4].pk}:empty", state="attached")
    assert page.evaluate("window.__stayed") == "same page" and loads == []

    page.click("button:has-text('Save and submit')")
    page.wait_for_selector("text=Assessment is now: Submitted.")
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    saved = dict(Answer.objects.filter(assessment=assessment).values_list("item_id", "value"))
    expected = {items[0].pk: "3", **{item.pk: str(n % 5) for n, item in enumerate(items[1:], start=2)}}
    expected[items[4].pk] = "1"
    assert saved == expected

    actions.do_start_review(assessment, acting_user=manager)
    page.context.clear_cookies()
    browser_login(page, "manager")
    page.goto(f"{page.base_url}/assessments/{assessment.pk}/")
    assert page.input_value(f"#score-{items[0].pk}") == "3"  # the vendor's own rating, not 0
    assert page.input_value(f"#score-{items[1].pk}") == "2"
    shot(page, "review-prefilled")
