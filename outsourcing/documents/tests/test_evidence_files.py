"""Evidence files: recognised by content, size-limited, hashed, served only to who may see them."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.documents.actions import do_attach_document, do_delete_document
from outsourcing.documents.models import Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def upload(content: bytes, name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_it_accepts_the_five_types_by_content(vendor_a, vendor_a_user, content, mime):
    document = do_attach_document(vendor_a, upload=upload(content, "x.bin"), kind="other", acting_user=vendor_a_user)
    assert document.mime_type == mime
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.vendor == vendor_a


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable named .pdf",
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04 not really a zip",
        b"",
    ],
)
def test_it_refuses_other_files_and_leaves_nothing_behind(vendor_a, manager, settings, content):
    import pathlib

    with pytest.raises(ValidationError) as caught:
        do_attach_document(vendor_a, upload=upload(content), kind="other", acting_user=manager)
    assert "file" in caught.value.message_dict
    assert not Document.objects.exists()
    stored = [path for path in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert stored == []


def test_it_refuses_a_file_over_the_limit(vendor_a, manager, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        do_attach_document(vendor_a, upload=upload(PDF + b"x" * 100), kind="other", acting_user=manager)
    assert "limit" in caught.value.message_dict["file"][0]
    assert not Document.objects.exists()


def test_it_refuses_an_unknown_kind(vendor_a, manager):
    with pytest.raises(ValidationError) as caught:
        do_attach_document(vendor_a, upload=upload(PDF), kind="selfie", acting_user=manager)
    assert "kind" in caught.value.message_dict


def test_the_auditor_and_vendor_b_cannot_attach_to_vendor_a(vendor_a, auditor, vendor_b_user):
    for user in (auditor, vendor_b_user):
        with pytest.raises(PermissionDenied):
            do_attach_document(vendor_a, upload=upload(PDF), kind="other", acting_user=user)
    assert not Document.objects.exists()


@pytest.fixture
def contract(vendor_a, vendor_a_user):
    return do_attach_document(vendor_a, upload=upload(PDF, "合同.pdf"), kind="other", acting_user=vendor_a_user)


@pytest.mark.parametrize("persona", ["manager", "auditor", "vendor_a_user"])
def test_who_may_see_the_vendor_downloads_the_file(web, api, request, contract, persona):
    user = request.getfixturevalue(persona)
    response = web(user).get(f"/documents/{contract.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    api_response = api(user).get(f"/documents/{contract.pk}")
    assert api_response.status_code == 200
    assert b"".join(api_response.streaming_content) == PDF


def test_vendor_b_gets_404_for_vendor_a_files(web, api, contract, vendor_b_user):
    assert web(vendor_b_user).get(f"/documents/{contract.pk}/download").status_code == 404
    assert api(vendor_b_user).get(f"/documents/{contract.pk}").status_code == 404


def test_deleting_a_document_removes_the_stored_file(contract, vendor_a_user, django_capture_on_commit_callbacks):
    storage, name = contract.file.storage, contract.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        do_delete_document(contract, acting_user=vendor_a_user)
    assert not storage.exists(name)
