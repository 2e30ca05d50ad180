"""Fixtures of the teams tests: engagements of Vendor A and B, a people factory, a contract file."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.core import registry
from outsourcing.core.access import SYSTEM
from outsourcing.engagements.models import Engagement
from outsourcing.teams.models import TeamMember

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "contract.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def engagement_a(vendor_a: Any) -> Engagement:
    return Engagement.objects.create(
        code="OM-A", title="Cloud O&M", form="service", vendor=vendor_a, start_date=D(2024, 1, 1)
    )


@pytest.fixture
def engagement_b(vendor_b: Any) -> Engagement:
    return Engagement.objects.create(
        code="DEV-B", title="Permits", form="contracting_out", vendor=vendor_b, start_date=D(2024, 1, 1)
    )


@pytest.fixture
def cosource(vendor_a: Any) -> Engagement:
    return Engagement.objects.create(
        code="CO-A", title="Joint ops", form="co_sourcing", vendor=vendor_a, start_date=D(2024, 1, 1)
    )


@pytest.fixture
def person() -> Any:
    """`person(vendor, **fields)` stores a member; regular, probation passed, with a contract unless told."""

    def make(vendor: Any, *, contract: bool = True, **fields: Any) -> TeamMember:
        values: dict[str, Any] = {
            "full_name": "张三 Zhang San",
            "employment_type": "regular",
            "hire_date": D(2020, 1, 1),
            "probation_end_date": D(2020, 6, 30),
            "prior_experience_months": 0,
        }
        values.update(fields)
        member = TeamMember.objects.create(vendor=vendor, **values)
        if contract:
            registry.attach_document(member, upload=pdf(), kind="employment_contract", acting_user=SYSTEM)
        return member

    return make
