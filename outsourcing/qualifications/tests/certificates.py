"""Certificates the tests make themselves: PDFs with and without a text layer, noisy photos, CJK and Latin
layouts, and a QR code — each with the fields printed on it, so reading can be checked field by field."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@dataclass
class Certificate:
    name: str
    lines: list[str]
    truth: dict[str, str]  # the fields as printed (dates ISO)
    qr: str = ""
    chinese: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def chinese_iso27001(number: str = "ISC-2024-00318") -> Certificate:
    return Certificate(
        name="zh-27001",
        chinese=True,
        lines=[
            "信息安全管理体系认证证书",
            f"证书编号：{number}",
            "兹证明 北京华信软件技术有限公司 的信息安全管理体系",
            "符合 ISO/IEC 27001:2022 标准要求",
            "发证机构：中国质量认证中心",
            "有效期：2024年3月1日 至 2027年2月28日",
        ],
        truth={
            "number": number,
            "holder": "北京华信软件技术有限公司",
            "standard": "ISO/IEC 27001:2022",
            "issuer": "中国质量认证中心",
            "valid_from": "2024-03-01",
            "valid_until": "2027-02-28",
        },
    )


def english_iso9001() -> Certificate:
    return Certificate(
        name="en-9001",
        lines=[
            "CERTIFICATE OF REGISTRATION",
            "Certificate No.: QMS-88213",
            "This is to certify that Yunling Information Technology Co., Ltd.",
            "operates a quality management system which complies with ISO 9001:2015",
            "Issued by: Bureau Veritas Certification",
            "Valid from: 15 January 2025",
            "Valid until: 14 January 2028",
        ],
        truth={
            "number": "QMS-88213",
            "holder": "Yunling Information Technology Co., Ltd.",
            "standard": "ISO 9001:2015",
            "issuer": "Bureau Veritas Certification",
            "valid_from": "2025-01-15",
            "valid_until": "2028-01-14",
        },
    )


def english_cmmi() -> Certificate:
    return Certificate(
        name="en-cmmi",
        lines=[
            "CMMI Institute - Appraisal Results",
            "Certificate Number: 65432-CMMI",
            "Organization: Huaxin Software Technology Co., Ltd.",
            "was appraised at CMMI-DEV Maturity Level 3",
            "Issued by: CMMI Institute",
            "Date of issue: March 3, 2024",
            "Expiry date: March 3, 2027",
        ],
        truth={
            "number": "65432-CMMI",
            "holder": "Huaxin Software Technology Co., Ltd.",
            "standard": "CMMI level 3",
            "issuer": "CMMI Institute",
            "valid_from": "2024-03-03",
            "valid_until": "2027-03-03",
        },
    )


def qr_only() -> Certificate:
    """The printed page has the holder and standard; its number and dates are only in the QR code."""
    return Certificate(
        name="qr",
        lines=["ISO 20000-1:2018 Certificate", "Organization: Yunling Information Technology Co., Ltd."],
        qr="Certificate No.: ITS-2025-0042\nValid from: 2025-05-01\nValid until: 2028-04-30",
        truth={
            "number": "ITS-2025-0042",
            "holder": "Yunling Information Technology Co., Ltd.",
            "standard": "ISO/IEC 20000-1:2018",
            "valid_from": "2025-05-01",
            "valid_until": "2028-04-30",
        },
    )


def text_pdf(cert: Certificate) -> bytes:
    """A PDF with a text layer (what a certification body's portal issues)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light" if cert.chinese else "Helvetica", 13)
    for i, line in enumerate(cert.lines):
        page.drawString(60, 760 - 26 * i, line)
    if cert.qr:
        from reportlab.lib.utils import ImageReader

        page.drawImage(ImageReader(_qr_image(cert.qr)), 400, 80, width=140, height=140)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _qr_image(payload: str):  # type: ignore[no-untyped-def]
    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def photo(cert: Certificate, *, noise: float = 0.01, seed: int = 1, rotate: float = 0.6):  # type: ignore[no-untyped-def]
    """The certificate as a scanned or photographed page: rendered text, speckle, a slight tilt and blur."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(CJK_FONT if cert.chinese else LATIN_FONT, 34)
    image = Image.new("L", (1800, 1200), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(cert.lines):
        draw.text((80, 80 + 72 * i), line, font=font, fill=0)
    if cert.qr:
        image.paste(_qr_image(cert.qr), (1300, 700))
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(int(image.width * image.height * noise)):
        pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.choice((0, 255))
    return image.rotate(rotate, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))


def png(cert: Certificate, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    photo(cert, **kwargs).save(buffer, format="PNG")  # type: ignore[arg-type]
    return buffer.getvalue()


def jpeg(cert: Certificate, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    photo(cert, **kwargs).convert("RGB").save(buffer, format="JPEG", quality=85)  # type: ignore[arg-type]
    return buffer.getvalue()


def scanned_pdf(cert: Certificate, **kwargs: object) -> bytes:
    """A PDF holding only a page image: no text layer, so it must be read by OCR."""
    buffer = io.BytesIO()
    photo(cert, **kwargs).convert("RGB").save(buffer, format="PDF", resolution=200)  # type: ignore[arg-type]
    return buffer.getvalue()


KINDS = {"text_pdf": text_pdf, "scanned_pdf": scanned_pdf, "png": png, "jpeg": jpeg}
CERTIFICATES = [chinese_iso27001, english_iso9001, english_cmmi, qr_only]
_ = datetime  # dates in the truth tables are ISO strings
