"""Evidence files of a certificate: checked by content and size; a refused file leaves nothing behind."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from outsourcing.core.access import SYSTEM
from outsourcing.documents.models import Document
from outsourcing.qualifications.actions import do_create_qualification
from outsourcing.qualifications.models import Qualification
from outsourcing.qualifications.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files] if os.path.isdir(root) else []


def test_vendor_user_uploads_a_pdf_certificate(api, vendor_a_user, make_qualification, pdf, settings):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    response = api(vendor_a_user).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "qualification_certificate"
    assert len(body["sha256"]) == 64
    assert [d["id"] for d in api(vendor_a_user).get(f"/qualifications/{qualification.pk}").json()["documents"]] == [
        body["id"]
    ]
    assert api(vendor_a_user).get(f"/documents/{body['id']}").status_code == 200
    assert len(stored_files(settings)) == 1


def _docx_disguised_as_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not an office file")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("certificate.pdf", b"MZ\x90\x00 this is an executable"),  # the name lies: not a PDF
        ("certificate.pdf", b""),  # empty
        ("certificate.docx", _docx_disguised_as_zip()),  # a zip, but not DOCX
        ("certificate.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_refused_file_is_422_on_file_and_leaves_nothing(
    api, vendor_a_user, make_qualification, settings, name, content
):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = api(vendor_a_user).post(f"/qualifications/{qualification.pk}/documents", files={"file": upload})
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["detail"]] == ["file"]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(api, vendor_a_user, make_qualification, settings, pdf):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    with override_settings(EVIDENCE_MAX_BYTES=len(PDF) - 1):
        response = api(vendor_a_user).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()})
    assert response.status_code == 422
    assert "limit" in response.json()["detail"][0]["msg"]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_missing_file_is_named(api, vendor_a_user, make_qualification):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    response = api(vendor_a_user).post(f"/qualifications/{qualification.pk}/documents", files={})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["file"]


def test_another_kind_is_refused(api, vendor_a_user, make_qualification, pdf):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    response = api(vendor_a_user).post(
        f"/qualifications/{qualification.pk}/documents",
        {"kind": "employment_contract"},
        files={"file": pdf()},
    )
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["kind"]
    assert not Document.objects.exists()


def test_a_refused_evidence_file_undoes_the_new_certificate_too(vendor_a, settings):
    bad = SimpleUploadedFile("cert.pdf", b"not a pdf at all")
    with pytest.raises(Exception):  # noqa: B017 (ValidationError on "file")
        do_create_qualification(
            vendor=vendor_a,
            acting_user=SYSTEM,
            fields={
                "type_code": "iso9001",
                "number": "X1",
                "issuer": "CQC",
                "valid_from": "2026-01-01",
                "valid_until": "2027-01-01",
            },
            evidence=bad,
        )
    assert not Qualification.objects.exists()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_new_evidence_from_the_vendor_sends_a_verified_certificate_back_to_pending(
    api, vendor_a_user, manager, make_qualification, pdf
):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001")
    assert api(manager).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()}).status_code == 201
    qualification.refresh_from_db()
    assert qualification.verification_status == "verified"
    assert (
        api(vendor_a_user).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()}).status_code
        == 201
    )
    qualification.refresh_from_db()
    assert qualification.verification_status == "pending"


def test_b_cannot_upload_to_or_download_as_evidence(api, vendor_a_user, vendor_b_user, make_qualification, pdf):
    qualification = make_qualification(vendor_a_user.vendor, "iso9001", verified=False)
    document_id = (
        api(vendor_a_user).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()}).json()["id"]
    )
    assert (
        api(vendor_b_user).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()}).status_code
        == 404
    )
    assert api(vendor_b_user).get(f"/documents/{document_id}").status_code == 404
    assert Document.objects.count() == 1


def test_auditor_cannot_upload(api, auditor, vendor_a, make_qualification, pdf):
    qualification = make_qualification(vendor_a, "iso9001", verified=False)
    assert api(auditor).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()}).status_code == 403
    assert not Document.objects.exists()


def test_removing_a_certificate_removes_its_evidence(
    api, manager, vendor_a, make_qualification, pdf, settings, django_capture_on_commit_callbacks
):
    qualification = make_qualification(vendor_a, "iso9001")
    api(manager).post(f"/qualifications/{qualification.pk}/documents", files={"file": pdf()})
    with django_capture_on_commit_callbacks(execute=True):
        assert api(manager).delete(f"/qualifications/{qualification.pk}").status_code == 204
    assert not Document.objects.exists()
    assert stored_files(settings) == []
