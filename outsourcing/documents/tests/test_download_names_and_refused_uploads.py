"""Downloads carry the extension of what the file really is; refused uploads leave nothing on disk."""

import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.documents.actions import do_attach_document
from outsourcing.documents.filetypes import download_name
from outsourcing.teams.models import TeamMember

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_TYPE = "application/pdf"
JPEG_TYPE = "image/jpeg"


@pytest.mark.parametrize(
    ("original", "mime", "expected"),
    [
        ("contract.html", PDF_TYPE, "contract.pdf"),
        ("contract.PDF", PDF_TYPE, "contract.PDF"),
        ("contract", PDF_TYPE, "contract.pdf"),
        ("合同.svg", PDF_TYPE, "合同.pdf"),
        ("photo.jpeg", JPEG_TYPE, "photo.jpeg"),
        ("photo.png", JPEG_TYPE, "photo.jpg"),
        ("../../etc/passwd", PDF_TYPE, "passwd.pdf"),
        ("a.tar.html", PDF_TYPE, "a.tar.pdf"),
        (".htaccess", PDF_TYPE, ".htaccess.pdf"),
        ("..", PDF_TYPE, "file.pdf"),
    ],
)
def test_the_download_name_has_the_detected_extension(original, mime, expected):
    assert download_name(original, mime) == expected


def test_a_pdf_uploaded_as_html_downloads_as_pdf(web, api, vendor_a, vendor_a_user):
    upload = SimpleUploadedFile("contract.html", PDF, content_type="text/html")
    document = do_attach_document(vendor_a, upload=upload, kind="other", acting_user=vendor_a_user)
    assert document.original_name == "contract.html"  # the record keeps what the uploader called it
    for response in (
        web(vendor_a_user).get(f"/documents/{document.pk}/download"),
        api(vendor_a_user).get(f"/documents/{document.pk}"),
    ):
        assert response.status_code == 200
        assert 'filename="contract.pdf"' in response["Content-Disposition"]
        assert response["Content-Type"] == PDF_TYPE


@pytest.fixture
def member(vendor_a):
    return TeamMember.objects.create(
        vendor=vendor_a, full_name="Li Lei", employee_number="E-1", employment_type="regular", hire_date="2024-01-01"
    )


def test_a_refused_upload_leaves_no_file_behind(api, vendor_a_user, member, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # so that the upload is spooled to disk, as a big one is
    fake = SimpleUploadedFile("contract.pdf", b"<html>" + b"x" * 5000, content_type="application/pdf")
    response = api(vendor_a_user).post(
        f"/members/{member.pk}/documents", {"kind": "employment_contract"}, files={"file": fake}
    )
    assert response.status_code == 422
    assert list((tmp_path / "spool").iterdir()) == []
    assert [p for p in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
