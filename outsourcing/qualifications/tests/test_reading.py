"""Certificates read from the file: text layer, OCR and QR code, fields picked out in Chinese and English
layouts, compared with the typed record; unreadable files are "not read", never an error."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.qualifications.actions import do_create_qualification
from outsourcing.qualifications.models import CertificateReading
from outsourcing.qualifications.reading import Method, Verdict, compare, ocr_available, parse_fields, read_file

from .certificates import (
    CERTIFICATES,
    chinese_iso27001,
    english_cmmi,
    english_iso9001,
    jpeg,
    png,
    qr_only,
    scanned_pdf,
    text_pdf,
)

D = datetime.date


def needs_ocr() -> None:
    """OCR tests run wherever Tesseract is installed; CI installs it and must not skip them."""
    if not ocr_available():
        if os.environ.get("OUTSOURCING_REQUIRE_OCR") == "1":
            pytest.fail("OCR is required (OUTSOURCING_REQUIRE_OCR=1) but tesseract is not installed")
        pytest.skip("OCR tests need Debian's tesseract-ocr and tesseract-ocr-chi-sim")


def values(reading):  # type: ignore[no-untyped-def]
    return {name: found.value for name, found in reading.fields.items()}


@pytest.mark.parametrize("make", CERTIFICATES, ids=lambda m: m.__name__)
def test_every_field_is_read_from_the_text_layer(make):
    cert = make()
    reading = read_file(text_pdf(cert))
    assert reading.method == Method.TEXT_LAYER
    assert values(reading) == cert.truth


def test_the_line_each_field_was_read_from_is_kept():
    reading = read_file(text_pdf(chinese_iso27001()))
    # Blanks between Chinese characters are folded (OCR puts them where glyphs are spaced).
    assert reading.fields["valid_until"].source == "有效期：2024年3月1日至 2027年2月28日"
    assert reading.fields["number"].source == "证书编号：ISC-2024-00318"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Certificate No. AB-123\nValid until: 31 December 2027", {"number": "AB-123", "valid_until": "2027-12-31"}),
        ("注册号：00123Q45678R0M\n有效期至：2028年1月5日", {"number": "00123Q45678R0M", "valid_until": "2028-01-05"}),
        ("Validity: 2024/06/01 - 2027/05/31", {"valid_from": "2024-06-01", "valid_until": "2027-05-31"}),
        ("Expiry date: March 3, 2027", {"valid_until": "2027-03-03"}),
        ("CMMI 成熟度 5 级", {"standard": "CMMI level 5"}),
        ("符合 GB/T 19001-2016 / ISO 9001:2015 标准", {"standard": "ISO 9001:2015"}),
        ("ISO/IEC 20000-1:2018", {"standard": "ISO/IEC 20000-1:2018"}),
        ("发证日期：2024年2月30日", {}),  # no such day: not a date, not guessed
    ],
)
def test_layouts(text, expected):
    assert {k: f.value for k, f in parse_fields(text).items()} == expected


def test_a_qr_code_wins_over_the_printed_text():
    """The QR payload is exact where OCR can misread: its value is taken first."""
    fields = parse_fields("Certificate No.: 1SC-2O24", ["Certificate No.: ISC-2024"])
    assert fields["number"].value == "ISC-2024"


def test_garbage_is_not_read_and_says_why():
    reading = read_file(b"GIF89a not a certificate")
    assert reading.method == Method.NONE and not reading.read
    assert reading.problem == "not a PDF or image"


def test_a_broken_pdf_is_not_read_and_raises_nothing():
    reading = read_file(b"%PDF-1.7\n garbage that is no PDF")
    assert not reading.read and reading.problem


# --- OCR: scans and photos --------------------------------------------------------------------------------------


def test_a_scanned_chinese_pdf_is_read_by_ocr():
    needs_ocr()
    cert = chinese_iso27001()
    reading = read_file(scanned_pdf(cert))
    assert reading.method == Method.OCR
    got = values(reading)
    for name in ("number", "standard", "issuer", "valid_until"):
        assert got.get(name) == cert.truth[name], name


def test_a_noisy_english_photo_is_read_by_ocr():
    needs_ocr()
    cert = english_iso9001()
    got = values(read_file(png(cert)))
    for name in ("number", "standard", "issuer", "valid_from", "valid_until"):
        assert got.get(name) == cert.truth[name], name


def test_a_cmmi_jpeg_is_read_whole():
    needs_ocr()
    cert = english_cmmi()
    assert values(read_file(jpeg(cert))) == cert.truth


def test_the_qr_code_of_a_photo_gives_what_is_not_printed():
    needs_ocr()
    cert = qr_only()
    reading = read_file(png(cert))
    assert reading.qr == [cert.qr]
    assert values(reading) == cert.truth


# --- comparing with the typed record ----------------------------------------------------------------------------

TYPED = {
    "number": "ISC-2024-00318",
    "issuer": "中国质量认证中心",
    "type_code": "iso27001",
    "level": None,
    "valid_from": D(2024, 3, 1),
    "valid_until": D(2027, 2, 28),
}


def test_everything_matches_when_typed_as_printed():
    rows = compare(read_file(text_pdf(chinese_iso27001())), typed=TYPED, holder_names=["北京华信软件技术有限公司"])
    assert {r.field: r.verdict for r in rows} == dict.fromkeys(
        ("number", "holder", "standard", "issuer", "valid_from", "valid_until"), Verdict.MATCHES
    )


def test_a_typed_number_that_differs_from_the_printed_one_is_flagged():
    rows = compare(
        read_file(text_pdf(chinese_iso27001())),
        typed={**TYPED, "number": "ISC-2024-00319", "valid_until": D(2028, 2, 28)},
        holder_names=["Someone else Ltd."],
    )
    verdicts = {r.field: r for r in rows}
    assert verdicts["number"].verdict == Verdict.DIFFERS
    assert verdicts["number"].read == "ISC-2024-00318" and verdicts["number"].typed == "ISC-2024-00319"
    assert verdicts["valid_until"].verdict == Verdict.DIFFERS
    assert verdicts["holder"].verdict == Verdict.DIFFERS


def test_ocr_confusions_in_a_number_still_match():
    """OCR reads I as 1 and O as 0: the typed number is not called different for that."""
    reading = read_file(text_pdf(chinese_iso27001(number="1SC-2O24-00318")))
    rows = {r.field: r.verdict for r in compare(reading, typed=TYPED, holder_names=[])}
    assert rows["number"] == Verdict.MATCHES


def test_a_field_not_on_the_certificate_is_not_found():
    reading = read_file(text_pdf(qr_only()))
    rows = {r.field: r.verdict for r in compare(reading, typed=TYPED, holder_names=[])}
    assert rows["issuer"] == Verdict.NOT_FOUND


def test_a_wrong_level_differs():
    reading = read_file(text_pdf(english_cmmi()))
    typed = {**TYPED, "type_code": "cmmi", "level": 5}
    assert {r.field: r.verdict for r in compare(reading, typed=typed, holder_names=[])}["standard"] == Verdict.DIFFERS


# --- in the product ---------------------------------------------------------------------------------------------


@pytest.fixture
def huaxin(vendor_a):  # type: ignore[no-untyped-def]
    vendor_a.name = "北京华信软件技术有限公司"
    vendor_a.save()
    return vendor_a


def _upload(api, user, qualification, data, name="certificate.pdf"):  # type: ignore[no-untyped-def]
    return api(user).post(
        f"/qualifications/{qualification.pk}/documents", files={"file": SimpleUploadedFile(name, data)}
    )


def test_an_upload_is_read_in_the_background_and_compared(
    api, vendor_a_user, vendor_b_user, manager, huaxin, django_capture_on_commit_callbacks
):
    qualification = do_create_qualification(
        vendor=huaxin,
        acting_user=vendor_a_user,
        fields={
            **{k: v for k, v in TYPED.items() if k not in ("type_code", "level")},
            "type_code": "iso27001",
            "number": "ISC-2024-00391",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(api, vendor_a_user, qualification, text_pdf(chinese_iso27001())).status_code == 201
    reading = CertificateReading.objects.get(qualification=qualification)
    assert reading.status == "read" and reading.progress == 100
    body = api(manager).get(f"/qualifications/{qualification.pk}/readings").json()
    fields = {f["field"]: f for f in body[0]["fields"]}
    assert fields["number"]["verdict"] == "differs"  # typed 00391, printed 00318
    assert fields["number"]["source"] == "证书编号：ISC-2024-00318"
    assert fields["holder"]["verdict"] == "matches"
    assert api(vendor_b_user).get(f"/qualifications/{qualification.pk}/readings").status_code == 404


def test_an_unreadable_upload_is_not_read_and_the_page_says_so(
    api, web, vendor_a_user, manager, huaxin, django_capture_on_commit_callbacks
):
    qualification = do_create_qualification(
        vendor=huaxin,
        acting_user=vendor_a_user,
        fields={**{k: v for k, v in TYPED.items() if k not in ("type_code", "level")}, "type_code": "iso27001"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        _upload(api, vendor_a_user, qualification, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert CertificateReading.objects.get(qualification=qualification).status == "not_read"
    panel = web(manager).get(f"/qualifications/{qualification.pk}/readings")
    assert panel.status_code == 200
    assert "Nothing could be read from this file" in panel.content.decode()


def test_the_panel_shows_each_field_with_its_verdict(
    api, web, vendor_a_user, manager, huaxin, django_capture_on_commit_callbacks
):
    qualification = do_create_qualification(
        vendor=huaxin,
        acting_user=vendor_a_user,
        fields={
            **{k: v for k, v in TYPED.items() if k not in ("type_code", "level")},
            "type_code": "iso27001",
            "number": "ISC-2024-00391",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        _upload(api, vendor_a_user, qualification, text_pdf(chinese_iso27001()))
    html = web(manager).get(f"/qualifications/{qualification.pk}/readings").content.decode()
    assert "1 field differs" in html and "ISC-2024-00318" in html and "Matches" in html
    assert web(manager).get(f"/qualifications/{qualification.pk}/").status_code == 200


def test_the_demo_has_a_certificate_whose_printed_number_differs(db, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo")
    from outsourcing.qualifications.tasks import comparison

    readings = CertificateReading.objects.select_related("qualification__type", "qualification__vendor")
    assert readings.exists() and all(r.status == "read" for r in readings)
    differing = [r for r in readings if any(c.verdict == Verdict.DIFFERS for c in comparison(r))]
    assert [r.qualification.number for r in differing] == ["00126IS0912R0S"]
