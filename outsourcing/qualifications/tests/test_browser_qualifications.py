"""A manager's walk through certificates, and a vendor user recording one with its scan, in a real browser."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import browser_login, save_screenshot
from outsourcing.core.access import SYSTEM
from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.actions import (
    do_add_requirement,
    do_attach_evidence,
    do_create_qualification,
)
from outsourcing.qualifications.models import Qualification
from outsourcing.qualifications.tests.conftest import PDF, verify

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("catalogue"),
]
TODAY = datetime.date.today()


def _certificate(vendor, code, level, number, *, verified=True, days_left=700):
    q = do_create_qualification(
        vendor=vendor,
        acting_user=SYSTEM,
        fields={
            "type_code": code,
            "level": level,
            "number": number,
            "issuer": "中国质量认证中心 CQC",
            "valid_from": TODAY - datetime.timedelta(days=300),
            "valid_until": TODAY + datetime.timedelta(days=days_left),
        },
    )
    if verified:
        verify(q)
    return q


def test_manager_verifies_a_pending_certificate_and_the_gap_closes(browser_page, manager, vendor_a):
    engagement = Engagement.objects.create(
        code="OM-1", title="政务云运维 Cloud O&M", form="service", vendor=vendor_a, start_date=TODAY
    )
    do_add_requirement(engagement, acting_user=SYSTEM, type_code="cmmi", min_level=3)
    do_add_requirement(engagement, acting_user=SYSTEM, type_code="iso27001")
    _certificate(vendor_a, "cmmi", 3, "CMMI-ML3-0042")
    _certificate(vendor_a, "iso9001", None, "00124Q35621R3M", days_left=12)
    pending = _certificate(vendor_a, "iso27001", None, "00124IS0387R1M", verified=False)
    scan = SimpleUploadedFile("iso27001.pdf", PDF, content_type="application/pdf")
    do_attach_evidence(pending, acting_user=SYSTEM, upload=scan)
    page = browser_page
    browser_login(page, "manager")
    page.click("nav >> text=Qualifications")
    page.wait_for_selector("text=CMMI-ML3-0042")
    assert page.locator("text=Expiring within 30 days").count() >= 1
    save_screenshot(page, "qualifications-list")

    page.goto(page.base_url + f"/qualifications/engagements/{engagement.pk}/requirements")
    page.wait_for_selector("text=1 of 2 requirements met")
    save_screenshot(page, "qualification-requirements-gap")

    page.goto(page.base_url + f"/qualifications/{pending.pk}/")
    page.click("a:has-text('Verify')")
    page.select_option("#id_method", "issuer_register")
    page.fill("#id_reference", "CNCA 认证结果查询 2026-0415")
    save_screenshot(page, "qualification-verify-form")
    page.click("button:has-text('Verify')")
    page.wait_for_selector("text=Certificate verified.")
    save_screenshot(page, "qualification-detail")
    pending.refresh_from_db()
    assert pending.verification_status == "verified"

    page.goto(page.base_url + f"/qualifications/engagements/{engagement.pk}/requirements")
    page.wait_for_selector("text=2 of 2 requirements met")


def test_vendor_user_records_a_certificate_with_its_scan(browser_page, vendor_a_user, tmp_path):
    scan = tmp_path / "iso9001.pdf"
    scan.write_bytes(PDF)
    page = browser_page
    browser_login(page, "alice_a")
    page.click("nav >> text=Qualifications")
    page.click("text=New qualification")
    page.select_option("#id_type", label="ISO 9001 quality management 质量管理体系")
    page.fill("#id_level", "2")
    page.fill("#id_number", "00125Q31877R1S")
    page.fill("#id_issuer", "中国质量认证中心")
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_valid_until", "2028-12-31")
    page.set_input_files("#id_evidence", str(scan))
    page.click("button:has-text('Save')")
    assert "no levels" in page.locator(".field.has-error .errorlist").inner_text()
    assert not Qualification.objects.exists()
    save_screenshot(page, "qualification-form-error")

    page.fill("#id_level", "")
    page.set_input_files("#id_evidence", str(scan))
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Certificate recorded")
    qualification = Qualification.objects.get()
    assert qualification.documents.count() == 1
    assert qualification.verification_status == "pending"
    save_screenshot(page, "qualification-recorded")
