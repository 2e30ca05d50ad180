"""Fixtures for the qualification tests: engagements of Vendor A and B and a certificate factory."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.core.access import SYSTEM
from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.actions import do_attach_evidence, do_create_qualification, do_verify_qualification
from outsourcing.qualifications.models import Qualification

D = datetime.date
FROM = datetime.date(2025, 1, 1)
UNTIL = datetime.date(2027, 12, 31)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VERIFY = {"method": "issuer_register", "reference": "CNCA query 2026-0001"}


def verify(qualification: Qualification, acting_user: Any = SYSTEM) -> Qualification:
    """Verify as the owner does: an evidence file on it, then the method and a reference."""
    if not qualification.documents.exists():
        upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
        do_attach_evidence(qualification, acting_user=acting_user, upload=upload)
    return do_verify_qualification(qualification, acting_user=acting_user, **VERIFY)


def verify_via_api(client: Any, qualification_id: int) -> Any:
    """POST /qualifications/{id}/verify as the owner does: upload a scan first, then method and reference."""
    scan = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    client.post(f"/qualifications/{qualification_id}/documents", files={"file": scan})
    return client.post(f"/qualifications/{qualification_id}/verify", VERIFY)


@pytest.fixture
def catalogue(db: Any) -> None:
    """The seeded types again: a transactional (browser) test runs after others have flushed the database."""
    from django.apps import apps

    seed = importlib.import_module("outsourcing.qualifications.migrations.0002_seed_types").seed
    seed(apps, None)


@pytest.fixture
def engagement_a(vendor_a: Any) -> Engagement:
    return Engagement.objects.create(
        code="OM-A", title="Cloud O&M", form="service", vendor=vendor_a, start_date=D(2026, 1, 1)
    )


@pytest.fixture
def engagement_b(vendor_b: Any) -> Engagement:
    return Engagement.objects.create(
        code="DEV-B", title="Permit system", form="contracting_out", vendor=vendor_b, start_date=D(2026, 1, 1)
    )


@pytest.fixture
def make_qualification() -> Any:
    """make_qualification(vendor, type_code, level=None, verified=True, valid_from=..., valid_until=...)."""

    def make(
        vendor: Any,
        type_code: str,
        level: int | None = None,
        *,
        verified: bool = True,
        valid_from: datetime.date = FROM,
        valid_until: datetime.date = UNTIL,
        number: str = "CERT-001",
    ) -> Qualification:
        qualification = do_create_qualification(
            vendor=vendor,
            acting_user=SYSTEM,
            fields={
                "type_code": type_code,
                "level": level,
                "number": number,
                "issuer": "China Quality Certification Centre",
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
        )
        if verified:
            verify(qualification)
        return qualification

    return make


@pytest.fixture
def pdf() -> Any:
    def make(name: str = "certificate.pdf", content: bytes = PDF) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make
