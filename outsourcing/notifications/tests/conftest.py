"""Fixtures of the notifications tests: a vendor with a certificate and an agreement with deadlines."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from outsourcing.core.access import SYSTEM
from outsourcing.qualifications.models import Qualification, QualificationType

DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def certificate(vendor_a: Any) -> Qualification:
    """ISO 27001 of Vendor A, verified, valid until 7 days after DAY."""
    return Qualification.objects.create(
        vendor=vendor_a,
        type=QualificationType.objects.get(code="iso27001"),
        number="ISMS-0042",
        issuer="CQC",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=DAY + datetime.timedelta(days=7),
        verification_status="verified",
    )


@pytest.fixture
def system() -> Any:
    return SYSTEM
