"""The qualification pages: who sees and does what, forms that refuse bad input, exports, query counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from outsourcing.core.access import SYSTEM
from outsourcing.documents.models import Document
from outsourcing.qualifications.actions import do_attach_evidence
from outsourcing.qualifications.models import Qualification, QualificationRequirement, QualificationType
from outsourcing.qualifications.tests.conftest import PDF

from .conftest import VERIFY

pytestmark = pytest.mark.django_db
D = datetime.date

FORM = {
    "type": "",
    "level": "3",
    "number": "CMMI-2026-0042",
    "issuer": "CMMI Institute",
    "scope": "软件开发 Software development",
    "valid_from": "2026-01-01",
    "valid_until": "2029-01-01",
}


def _type_pk(code):
    return QualificationType.objects.get(code=code).pk


def test_list_page_shows_certificates_with_status_and_filters(web, manager, vendor_a, vendor_b, make_qualification):
    make_qualification(vendor_a, "iso9001", number="ISO9-A")
    make_qualification(vendor_b, "cmmi", 3, verified=False, number="CMMI-B")
    page = web(manager).get("/qualifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ISO9-A" in html and "CMMI-B" in html and "Unverified" in html
    filtered = web(manager).get("/qualifications/", {"status": "unverified"}).content.decode()
    assert "CMMI-B" in filtered and "ISO9-A" not in filtered
    by_type = web(manager).get("/qualifications/", {"type": "iso9001"}).content.decode()
    assert "ISO9-A" in by_type and "CMMI-B" not in by_type
    by_vendor = web(manager).get("/qualifications/", {"vendor": str(vendor_b.pk)}).content.decode()
    assert "CMMI-B" in by_vendor and "ISO9-A" not in by_vendor


def test_list_page_query_count_does_not_grow_with_rows(
    web, manager, vendor_a, vendor_b, make_qualification, django_assert_max_num_queries
):
    for index in range(30):
        make_qualification(vendor_a if index % 2 else vendor_b, "iso9001", number=f"N-{index:02}")
    client = web(manager)
    # 8: the vendor filter's picker asks how many vendors there are by their keys before reading them (core.pickers)
    with django_assert_max_num_queries(8):
        response = client.get("/qualifications/", {"sort": "-valid_until"})
    assert response.status_code == 200
    assert "1–25 of 30" in response.content.decode()


def test_vendor_b_sees_nothing_of_as_certificate_pages(web, vendor_a, vendor_b_user, make_qualification, engagement_a):
    qualification = make_qualification(vendor_a, "iso9001", number="SECRET-A")
    client = web(vendor_b_user)
    assert "SECRET-A" not in client.get("/qualifications/").content.decode()
    assert "SECRET-A" not in client.get("/qualifications/export.csv").getvalue().decode()
    for url in (
        f"/qualifications/{qualification.pk}/",
        f"/qualifications/{qualification.pk}/edit",
        f"/qualifications/{qualification.pk}/renew",
        f"/qualifications/vendor/{vendor_a.pk}/",
        f"/qualifications/vendor/{vendor_a.pk}/new",
        f"/qualifications/engagements/{engagement_a.pk}/requirements",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/qualifications/{qualification.pk}/verify").status_code == 404
    assert client.post(f"/qualifications/{qualification.pk}/delete").status_code == 404
    assert Qualification.objects.count() == 1


def test_vendor_user_adds_a_certificate_with_its_scan(web, vendor_a_user, settings):
    client = web(vendor_a_user)
    vendor_id = vendor_a_user.vendor_id
    assert client.get(f"/qualifications/vendor/{vendor_id}/new").status_code == 200
    scan = SimpleUploadedFile("cmmi.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/qualifications/vendor/{vendor_id}/new", {**FORM, "type": _type_pk("cmmi"), "evidence": scan}
    )
    qualification = Qualification.objects.get()
    assert response.status_code == 302 and response.url == f"/qualifications/{qualification.pk}/"
    assert qualification.verification_status == "pending"
    assert Document.for_object(qualification).get().kind == "qualification_certificate"


def test_the_form_refuses_a_level_on_a_type_without_levels_and_writes_nothing(web, vendor_a_user):
    response = web(vendor_a_user).post(
        f"/qualifications/vendor/{vendor_a_user.vendor_id}/new", {**FORM, "type": _type_pk("iso9001")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["level"]
    assert not Qualification.objects.exists()


def test_the_form_refuses_a_fake_scan_and_writes_nothing(web, vendor_a_user, settings):
    fake = SimpleUploadedFile("cmmi.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = web(vendor_a_user).post(
        f"/qualifications/vendor/{vendor_a_user.vendor_id}/new",
        {**FORM, "type": _type_pk("cmmi"), "evidence": fake},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not Qualification.objects.exists()
    assert not Document.objects.exists()


def test_manager_verifies_and_rejects_from_the_page(web, manager, vendor_a, make_qualification, pdf):
    qualification = make_qualification(vendor_a, "iso9001", verified=False)
    do_attach_evidence(qualification, acting_user=SYSTEM, upload=pdf())
    client = web(manager)
    assert "Verify" in client.get(f"/qualifications/{qualification.pk}/").content.decode()
    client.post(f"/qualifications/{qualification.pk}/verify", VERIFY)
    qualification.refresh_from_db()
    assert qualification.verification_status == "verified" and qualification.verified_by == manager
    response = client.post(f"/qualifications/{qualification.pk}/reject", {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    client.post(f"/qualifications/{qualification.pk}/reject", {"reason": "证书编号在认监委网站查询不到"})
    qualification.refresh_from_db()
    assert qualification.verification_status == "rejected"
    assert qualification.verification_note == "证书编号在认监委网站查询不到"


def test_vendor_user_and_auditor_cannot_verify_from_the_page(web, vendor_a_user, auditor, make_qualification):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    for user in (vendor_a_user, auditor):
        client = web(user)
        assert "Verify" not in client.get(f"/qualifications/{qualification.pk}/").content.decode()
        assert client.post(f"/qualifications/{qualification.pk}/verify").status_code == 403
        assert client.get(f"/qualifications/{qualification.pk}/reject").status_code == 403
    qualification.refresh_from_db()
    assert qualification.verification_status == "pending"


def test_auditor_cannot_add_edit_or_upload(web, auditor, vendor_a, make_qualification):
    qualification = make_qualification(vendor_a, "iso9001", verified=False)
    client = web(auditor)
    assert client.get(f"/qualifications/vendor/{vendor_a.pk}/new").status_code == 403
    assert client.get(f"/qualifications/{qualification.pk}/edit").status_code == 403
    scan = SimpleUploadedFile("x.pdf", PDF)
    assert client.post(f"/qualifications/{qualification.pk}/documents", {"file": scan}).status_code == 403
    assert not Document.objects.exists()


def test_renewal_form_supersedes_the_old_certificate(web, vendor_a_user, make_qualification):
    old = make_qualification(vendor_a_user.vendor, "cmmi", 3, valid_until=D(2026, 12, 31))
    client = web(vendor_a_user)
    page = client.get(f"/qualifications/{old.pk}/renew")
    assert page.context["form"].initial["valid_from"] == D(2026, 12, 31)
    response = client.post(f"/qualifications/{old.pk}/renew", {**FORM, "level": "4", "valid_from": "2027-01-01"})
    new = Qualification.objects.get(supersedes=old)
    assert response.status_code == 302
    assert (new.type.code, new.level) == ("cmmi", 4)


def test_edit_by_vendor_user_sends_a_verified_certificate_back_to_pending(web, vendor_a_user, make_qualification):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001")
    client = web(vendor_a_user)
    assert "back to the owner" in client.get(f"/qualifications/{qualification.pk}/edit").content.decode()
    data = {
        "type": _type_pk("iso9001"),
        "level": "",
        "number": "NEW-NUMBER",
        "issuer": qualification.issuer,
        "scope": "",
        "valid_from": "2025-01-01",
        "valid_until": "2027-12-31",
    }
    assert client.post(f"/qualifications/{qualification.pk}/edit", data).status_code == 302
    qualification.refresh_from_db()
    assert (qualification.number, qualification.verification_status) == ("NEW-NUMBER", "pending")


def test_export_xlsx_and_csv_carry_the_status(web, manager, vendor_a, make_qualification):
    make_qualification(vendor_a, "cmmi", 5, number="CMMI-5")
    xlsx = web(manager).get("/qualifications/export.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Vendor", "Type code", "Type")
    assert rows[1][1] == "cmmi" and rows[1][3] == 5 and rows[1][4] == "CMMI-5"
    csv_text = b"".join(web(manager).get("/qualifications/export.csv").streaming_content).decode("utf-8-sig")
    assert "CMMI-5" in csv_text and "Verified" in csv_text


def test_requirements_page_shows_met_and_missing_and_manager_adds_one(web, manager, engagement_a, make_qualification):
    make_qualification(engagement_a.vendor, "cmmi", 3, number="CMMI-3")
    client = web(manager)
    response = client.post(
        f"/qualifications/engagements/{engagement_a.pk}/requirements",
        {"type": _type_pk("cmmi"), "min_level": "3"},
    )
    assert response.status_code == 302
    client.post(f"/qualifications/engagements/{engagement_a.pk}/requirements", {"type": _type_pk("iso20000")})
    html = client.get(f"/qualifications/engagements/{engagement_a.pk}/requirements", {"as_of": "2026-06-01"})
    text = html.content.decode()
    assert "1 of 2 requirements met" in text and "CMMI-3" in text and "Missing" in text
    refused = client.post(
        f"/qualifications/engagements/{engagement_a.pk}/requirements",
        {"type": _type_pk("iso9001"), "min_level": "2"},
    )
    assert refused.status_code == 200 and refused.context["form"].errors["min_level"]
    assert QualificationRequirement.objects.count() == 2


def test_requirements_page_is_read_only_for_auditor_and_vendor(web, auditor, vendor_a_user, engagement_a):
    for user in (auditor, vendor_a_user):
        client = web(user)
        assert client.get(f"/qualifications/engagements/{engagement_a.pk}/requirements").status_code == 200
        response = client.post(
            f"/qualifications/engagements/{engagement_a.pk}/requirements", {"type": _type_pk("cmmi")}
        )
        assert response.status_code == 403
    assert not QualificationRequirement.objects.exists()


def test_only_admins_edit_the_catalogue(web, admin, manager):
    assert web(manager).get("/qualifications/types/").status_code == 200
    assert web(manager).get("/qualifications/types/new").status_code == 403
    client = web(admin)
    data = {
        "code": "itss",
        "name": "ITSS 运维能力成熟度",
        "category": "capability",
        "has_levels": "on",
        "min_level": "1",
        "max_level": "4",
        "description": "",
    }
    assert client.post("/qualifications/types/new", data).status_code == 302
    itss = QualificationType.objects.get(code="itss")
    bad = client.post(f"/qualifications/types/{itss.pk}/edit", {**data, "min_level": "5"})
    assert bad.status_code == 200 and bad.context["form"].errors["max_level"]


def test_a_types_range_cannot_shrink_below_levels_in_use(web, admin, vendor_a, make_qualification):
    make_qualification(vendor_a, "cmmi", 5)
    cmmi = QualificationType.objects.get(code="cmmi")
    data = {
        "code": "cmmi",
        "name": cmmi.name,
        "category": cmmi.category,
        "has_levels": "on",
        "min_level": "2",
        "max_level": "4",
        "description": "",
    }
    response = web(admin).post(f"/qualifications/types/{cmmi.pk}/edit", data)
    assert response.status_code == 200 and response.context["form"].errors["has_levels"]
    cmmi.refresh_from_db()
    assert cmmi.max_level == 5


def test_nav_offers_qualifications(web, manager):
    assert 'href="/qualifications/"' in web(manager).get("/").content.decode()


def test_engagement_index_shows_gaps_and_hides_other_vendors_engagements(
    web, manager, vendor_b_user, engagement_a, engagement_b, make_qualification
):
    from outsourcing.core.access import SYSTEM
    from outsourcing.qualifications.actions import do_add_requirement

    do_add_requirement(engagement_a, acting_user=SYSTEM, type_code="iso27001")
    do_add_requirement(engagement_b, acting_user=SYSTEM, type_code="iso9001")
    make_qualification(engagement_b.vendor, "iso9001")
    text = web(manager).get("/qualifications/engagements/").content.decode()
    assert "OM-A" in text and "DEV-B" in text and "iso27001" in text and "All met" in text
    text_b = web(vendor_b_user).get("/qualifications/engagements/").content.decode()
    assert "DEV-B" in text_b and "OM-A" not in text_b


def test_dashboard_shows_the_vendor_user_its_rejected_certificates(web, vendor_a_user, make_qualification):
    from outsourcing.core.access import SYSTEM
    from outsourcing.qualifications.actions import do_reject_qualification

    q = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    do_reject_qualification(q, acting_user=SYSTEM, reason="Scan unreadable")
    text = web(vendor_a_user).get("/").content.decode()
    assert "Certificates rejected by the owner" in text and "status=rejected" in text


def test_pages_speak_simplified_chinese(web, manager, vendor_a, make_qualification):
    make_qualification(vendor_a, "iso9001", verified=False)
    client = web(manager)
    client.cookies["django_language"] = "zh-hans"
    text = client.get("/qualifications/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "资质" in text and "未核验" in text


def test_requirements_page_query_count_does_not_grow_with_requirements(
    web, manager, engagement_a, make_qualification, django_assert_max_num_queries
):
    from outsourcing.core.access import SYSTEM
    from outsourcing.qualifications.actions import do_add_requirement

    for code in (
        "cmmi",
        "iso9001",
        "iso27001",
        "iso20000",
        "iso14001",
        "system_integration",
        "security_service",
    ):
        do_add_requirement(engagement_a, acting_user=SYSTEM, type_code=code)
        make_qualification(
            engagement_a.vendor, code, {"cmmi": 3, "system_integration": 2, "security_service": 1}.get(code)
        )
    client = web(manager)
    with django_assert_max_num_queries(8):
        response = client.get(f"/qualifications/engagements/{engagement_a.pk}/requirements")
    assert "7 of 7 requirements met" in response.content.decode()
