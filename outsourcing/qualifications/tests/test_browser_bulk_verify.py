"""In a real browser: the manager ticks pending certificates on the list (the shared bulk bar) and verifies them
with one method and reference."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import browser_login, save_screenshot
from outsourcing.core.access import SYSTEM
from outsourcing.qualifications.actions import do_attach_evidence, do_create_qualification
from outsourcing.qualifications.models import Qualification
from outsourcing.qualifications.tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalogue")]
SHOTS = "/work/helpers/shots"
TODAY = datetime.date.today()


def _pending(vendor, code, number):  # type: ignore[no-untyped-def]
    q = do_create_qualification(
        vendor=vendor,
        acting_user=SYSTEM,
        fields={
            "type_code": code,
            "level": None,
            "number": number,
            "issuer": "中国质量认证中心 CQC",
            "valid_from": TODAY - datetime.timedelta(days=30),
            "valid_until": TODAY + datetime.timedelta(days=700),
        },
    )
    do_attach_evidence(q, acting_user=SYSTEM, upload=SimpleUploadedFile(f"{number}.pdf", PDF))
    return q


def test_the_manager_verifies_several_certificates_at_once(browser_page, manager, vendor_a, vendor_b) -> None:  # type: ignore[no-untyped-def]
    first = _pending(vendor_a, "iso9001", "00124Q35621R3M")
    second = _pending(vendor_b, "iso27001", "00124IS0387R1M")
    untouched = _pending(vendor_b, "iso9001", "00125Q00001R1S")
    page = browser_page
    browser_login(page, "manager")
    page.goto(f"{page.base_url}/qualifications/")
    page.check(f"#pick-verify-selected-{first.pk}")
    page.check(f"#pick-verify-selected-{second.pk}")
    assert page.inner_text("[data-bulk-count=verify-selected]") == "2 selected"
    if os.path.isdir(SHOTS):
        page.screenshot(path=os.path.join(SHOTS, "answering-bulk-verify-list.png"), full_page=True)
    page.click("#verify-selected button:has-text('Verify selected')")
    page.select_option("#id_method", "issuer_register")
    page.fill("#id_reference", "CNCA 认证结果查询 2026-1130")
    page.click("button:has-text('Verify 2 certificates')")
    page.wait_for_selector("text=2 certificates verified.")
    save_screenshot(page, "bulk-verify-done")
    statuses = dict(Qualification.objects.values_list("pk", "verification_status"))
    assert statuses == {first.pk: "verified", second.pk: "verified", untouched.pk: "pending"}
