"""In a real browser: the manager returns a report (an empty return is refused by its field), the vendor finds it
filled in with the comments beside it, corrects it (kept as a draft in place), attaches a file and resubmits."""

from __future__ import annotations

import datetime
import os

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.documents.models import Document
from outsourcing.performance import actions
from outsourcing.performance.models import ImplementationReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/work/helpers/shots"
NOTHING_WIDER = "document.getElementById('main').scrollWidth <= document.getElementById('main').clientWidth"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    save_screenshot(page, name)
    if os.path.isdir(SHOTS):
        page.screenshot(path=os.path.join(SHOTS, f"answering-{name}.png"), full_page=True)


def test_a_returned_report_is_corrected_and_resubmitted(
    browser_page, engagement_a, manager, vendor_a_user, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    actions.do_set_schedule(
        engagement_a,
        acting_user=manager,
        frequency="monthly",
        first_period_start=datetime.date(2026, 1, 1),
        due_days=10,
    )
    report = actions.do_submit_report(
        engagement_a,
        acting_user=vendor_a_user,
        period_start=datetime.date(2026, 1, 1),
        project_management="一月项目管理：周例会 4 次",
        appraisal_execution="KPI 考核已完成",
    )
    page = browser_page
    browser_login(page, "manager")
    page.goto(f"{page.base_url}/reports/engagements/{engagement_a.pk}/")
    page.locator("tr", has_text="2026-01-01").locator("summary", has_text="Read").click()
    page.click("button:has-text('Return with comments')")
    error = page.locator(f"#id_r{report.pk}_comments_error")
    assert "Say what must be corrected" in error.inner_text()  # by the field, in the open form
    shot(page, "report-empty-return")
    page.fill(f"#id_r{report.pk}_comments", "请补充资源使用情况与人员变动")
    page.click("button:has-text('Return with comments')")
    page.wait_for_selector("text=Review saved.")

    page.context.clear_cookies()
    browser_login(page, "alice_a")
    page.goto(f"{page.base_url}/reports/engagements/{engagement_a.pk}/")
    page.click("a:has-text('Correct and resubmit')")
    assert page.input_value("#id_project_management") == "一月项目管理：周例会 4 次"  # kept, not retyped
    assert "请补充资源使用情况与人员变动" in page.inner_text("aside")
    page.evaluate("window.__stayed = 'same page'")
    page.fill("#id_resources", "人力 5 人，未超计划")
    page.click("button:has-text('Save draft')")
    page.wait_for_selector("#save-status:has-text('Draft saved at')")
    assert page.evaluate("window.__stayed") == "same page"
    shot(page, "report-returned-correcting")
    page.set_viewport_size({"width": 390, "height": 844})
    # Usable on a phone: nothing of the page's own content reaches past the screen's edge.
    assert page.evaluate(NOTHING_WIDER)
    shot(page, "report-phone")
    page.set_viewport_size({"width": 1280, "height": 860})
    attachment = tmp_path / "资源明细.pdf"
    attachment.write_bytes(PDF)
    page.set_input_files("#id_attachments", str(attachment))
    page.click("button:has-text('Resubmit report')")
    page.wait_for_selector("text=Report submitted.")
    report.refresh_from_db()
    assert report.status == "submitted" and report.resources == "人力 5 人，未超计划"
    assert [d.original_name for d in Document.for_object(report)] == ["资源明细.pdf"]
    assert ImplementationReport.objects.count() == 1
    shot(page, "report-resubmitted")
