"""In a real browser: a vendor user uploads the employment contracts of several people at once; the files are
matched to people by the employee number in their names."""

from __future__ import annotations

import os

import pytest

from conftest import browser_login, save_screenshot
from outsourcing.documents.models import Document

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/work/helpers/shots"


def test_a_vendor_uploads_contracts_for_many_people(browser_page, vendor_a, vendor_a_user, person, tmp_path) -> None:  # type: ignore[no-untyped-def]
    people = [
        person(vendor_a, contract=False, full_name=f"员工 {n}", employee_number=f"HX{n:04d}") for n in range(1, 4)
    ]
    good = []
    for member in people:
        path = tmp_path / f"{member.employee_number}_劳动合同.pdf"
        path.write_bytes(PDF)
        good.append(str(path))
    stray = tmp_path / "合同扫描件.pdf"
    stray.write_bytes(PDF)
    page = browser_page
    browser_login(page, "alice_a")
    page.goto(f"{page.base_url}/teams/vendors/{vendor_a.pk}/members/")
    page.click("a:has-text('Upload contracts')")
    page.set_input_files("#id_contracts", [*good, str(stray)])
    page.click("button:has-text('Upload contracts')")
    error = page.locator("#id_contracts_error")
    assert "合同扫描件.pdf: no employee number" in error.inner_text()
    assert not Document.objects.exists()  # one bad file: none stored
    if os.path.isdir(SHOTS):
        page.screenshot(path=os.path.join(SHOTS, "answering-contracts-refused.png"), full_page=True)
    page.set_input_files("#id_contracts", good)
    page.click("button:has-text('Upload contracts')")
    page.wait_for_selector("text=3 contracts attached.")
    save_screenshot(page, "contracts-uploaded")
    for member in people:
        assert [d.kind for d in Document.for_object(member)] == ["employment_contract"]
