"""Demo certificates of the demo vendors (with a scan each) and qualification requirements of engagements.

Dates are relative to today, so the demo always shows one certificate expiring within 30 days, one expired,
one pending verification and one rejected.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from outsourcing.core.access import SYSTEM

from .actions import (
    do_add_requirement,
    do_create_qualification,
    do_reject_qualification,
    do_renew_qualification,
    do_verify_qualification,
)

CQC = "中国质量认证中心 China Quality Certification Centre"
CMMI_INSTITUTE = "CMMI Institute (ISACA)"
CEIA = "中国电子信息行业联合会 China Electronics and Information Industry Federation"
CCRC = "中国网络安全审查技术与认证中心 CCRC"

# (vendor key, type, level, number, issuer, scope, start offset in days, length in days, outcome)
# outcome: "verified", "pending" or a rejection reason.
CERTIFICATES: list[tuple[str, str, int | None, str, str, str, int, int, str]] = [
    (
        "a",
        "cmmi",
        5,
        "0512-CMMI-DEV-ML5-2024",
        CMMI_INSTITUTE,
        "Software development and maintenance, Beijing delivery centre",
        -400,
        1095,
        "verified",
    ),
    (
        "a",
        "iso9001",
        None,
        "00124Q35621R3M/1100",
        CQC,
        "软件开发、信息系统集成及运维服务 Software development, system integration and O&M",
        -700,
        1095,
        "verified",
    ),
    (
        "a",
        "iso27001",
        None,
        "00124IS0387R1M",
        CQC,
        "与信息系统运维服务相关的信息安全管理 ISMS for IT O&M services",
        -1077,
        1095,
        "verified",
    ),  # ends in 18 days
    (
        "a",
        "iso20000",
        None,
        "00125ITSM0219R2M",
        CQC,
        "IT service management of cloud O&M services",
        -200,
        1095,
        "verified",
    ),
    (
        "a",
        "system_integration",
        4,
        "CS4-1100-2024-0187",
        CEIA,
        "信息系统建设和服务能力 CS4",
        -300,
        1460,
        "verified",
    ),
    (
        "b",
        "cmmi",
        3,
        "0633-CMMI-DEV-ML3-2025",
        CMMI_INSTITUTE,
        "Application development, Kunming",
        -150,
        1095,
        "verified",
    ),
    (
        "b",
        "iso9001",
        None,
        "00125Q31877R1S/5300",
        CQC,
        "Application software development and maintenance",
        -500,
        1095,
        "verified",
    ),
    (
        "b",
        "iso27001",
        None,
        "00126IS0912R0S",
        CQC,
        "ISMS covering software development and hosting",
        -20,
        1095,
        "pending",
    ),
    (
        "b",
        "iso20000",
        None,
        "00122ITSM0045R0S",
        CQC,
        "IT service management of help-desk services",
        -1155,
        1095,
        "verified",
    ),  # expired 60 days ago
    (
        "c",
        "iso20000",
        None,
        "00124ITSM0311R1M",
        CQC,
        "数据中心运维服务 Data-centre O&M services",
        -250,
        1095,
        "verified",
    ),
    (
        "c",
        "security_service",
        2,
        "CCRC-2024-ISV-SI-0921",
        CCRC,
        "信息系统安全集成服务 二级",
        -320,
        1095,
        "verified",
    ),
    (
        "c",
        "iso9001",
        None,
        "00125Q39001R0M",
        CQC,
        "Cleaning services",
        -90,
        1095,
        "The scope (cleaning services) does not cover the IT services offered.",
    ),
    (
        "d",
        "iso9001",
        None,
        "12 100 58231 TMS",
        "TÜV SÜD Management Service GmbH",
        "Management consulting and energy-efficiency engineering",
        -600,
        1095,
        "verified",
    ),
    (
        "d",
        "iso14001",
        None,
        "12 104 58231 TMS",
        "TÜV SÜD Management Service GmbH",
        "Energy-efficiency engineering",
        -600,
        1095,
        "verified",
    ),
    (
        "g",
        "security_service",
        3,
        "CCRC-2025-ISV-RA-0311",
        CCRC,
        "信息安全风险评估服务 三级 Risk assessment",
        -100,
        1095,
        "verified",
    ),
    ("g", "iso27001", None, "00125IS0551R2M", CQC, "Managed security services", -180, 1095, "verified"),
]

# Requirements (engagement key, type, minimum level), after the seed: O&M needs IT-service and security
# certification; development needs a proven development process.
REQUIREMENTS = [
    ("ops", "iso20000", None),
    ("ops", "iso27001", None),
    ("ops", "system_integration", 3),
    ("dev", "cmmi", 3),
    ("dev", "iso9001", None),
    ("dev", "iso27001", None),
    ("cosource", "iso20000", None),
    ("cosource", "security_service", 2),
    ("benefit", "iso14001", None),
]


# How each type's standard is printed on its certificate (what the certificate reader recognises).
STANDARD_PRINTED = {
    "iso9001": "ISO 9001:2015",
    "iso27001": "ISO/IEC 27001:2022",
    "iso20000": "ISO/IEC 20000-1:2018",
    "iso14001": "ISO 14001:2015",
}
# A vendor typed its certificate number with two digits swapped: the verifier is shown the difference.
PRINTED_NUMBER = {("b", "iso27001"): "00126IS0921R0S"}


def certificate_pdf(
    *, holder: str, code: str, level: int | None, number: str, issuer: str, valid_from: Any, valid_until: Any
) -> bytes:
    """A one-page certificate laid out like a certification body's, so that the demo's evidence files open
    like real ones and the certificate reader has something true (or, once, wrong) to read."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    standard = STANDARD_PRINTED.get(code) or (f"CMMI-DEV Maturity Level {level}" if code == "cmmi" else code)
    if code not in STANDARD_PRINTED and code != "cmmi" and level is not None:
        standard = f"{code} level {level}"
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(f"Certificate {number}")
    page.setFont("Helvetica-Bold", 20)
    page.drawString(72, 760, "CERTIFICATE")
    page.setFont("STSong-Light", 12)
    lines = (
        f"Certificate No.: {number}",
        f"This is to certify that {holder}",
        f"complies with {standard}",
        f"Issued by: {issuer}",
        f"Valid from: {valid_from.isoformat()}",
        f"Valid until: {valid_until.isoformat()}",
    )
    for offset, line in enumerate(lines):
        page.drawString(72, 720 - offset * 22, line)
    page.drawString(72, 540, "Demo document generated by Outsourcing Manager.")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _ensure_catalogue() -> None:
    """The catalogue comes from migration 0002; a database flushed since (a transactional test) lacks it."""
    import importlib

    from django.apps import apps

    importlib.import_module("outsourcing.qualifications.migrations.0002_seed_types").seed(apps, None)


def build(ctx: dict[str, Any]) -> None:
    _ensure_catalogue()
    today = timezone.localdate()
    users = ctx.get("users", {})
    manager = users.get("manager", SYSTEM)
    vendor_users = {"a": users.get("vendor_a"), "b": users.get("vendor_b")}
    # Huaxin's CMMI ML3 appraisal of 2021 (expired), renewed by its ML5 appraisal below: a renewal chain.
    previous = {
        ("a", "cmmi"): do_create_qualification(
            vendor=ctx["vendors"]["a"],
            acting_user=vendor_users.get("a") or SYSTEM,
            fields={
                "type_code": "cmmi",
                "level": 3,
                "number": "0388-CMMI-DEV-ML3-2021",
                "issuer": CMMI_INSTITUTE,
                "scope": "Software development, Beijing",
                "valid_from": today - datetime.timedelta(days=1500),
                "valid_until": today - datetime.timedelta(days=405),
            },
        )
    }
    do_verify_qualification(previous[("a", "cmmi")], acting_user=manager)
    for key, code, level, number, issuer, scope, start, length, outcome in CERTIFICATES:
        vendor = ctx["vendors"][key]
        valid_from = today + datetime.timedelta(days=start)
        valid_until = valid_from + datetime.timedelta(days=length)
        author = vendor_users.get(key) or SYSTEM
        printed = certificate_pdf(
            holder=vendor.name,
            code=code,
            level=level,
            number=PRINTED_NUMBER.get((key, code), number),
            issuer=issuer,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        scan = SimpleUploadedFile(f"{code}-{number}.pdf".replace("/", "-"), printed, content_type="application/pdf")
        facts = {
            "level": level,
            "number": number,
            "issuer": issuer,
            "scope": scope,
            "valid_from": valid_from,
            "valid_until": valid_until,
        }
        if (key, code) in previous:
            qualification = do_renew_qualification(
                previous[(key, code)], acting_user=author, fields=facts, evidence=scan
            )
        else:
            qualification = do_create_qualification(
                vendor=vendor, acting_user=author, fields={"type_code": code, **facts}, evidence=scan
            )
        if outcome == "verified":
            do_verify_qualification(qualification, acting_user=manager)
        elif outcome != "pending":
            do_reject_qualification(qualification, acting_user=manager, reason=outcome)

    for engagement_key, code, min_level in REQUIREMENTS:
        engagement = ctx.get("engagements", {}).get(engagement_key)
        if engagement is not None:
            do_add_requirement(engagement, acting_user=manager, type_code=code, min_level=min_level)
