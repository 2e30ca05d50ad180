"""Fixtures of the engagements tests: a service engagement of Vendor A with a signed agreement and metrics."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.core import registry
from outsourcing.core.access import SYSTEM
from outsourcing.engagements.actions import (
    do_attach_signed_agreement,
    do_create_engagement,
    do_save_agreement,
    do_save_metric,
)
from outsourcing.engagements.models import Engagement, ServiceAgreement, SlaMetric

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 12, 31)


def pdf(name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_engagement(vendor: Any, form: str = "service", **extra: Any) -> Engagement:
    fields = {"title": f"{form} for {vendor}", "form": form, "vendor_id": vendor.pk, "start_date": START}
    fields.update(extra)
    return do_create_engagement(acting_user=SYSTEM, **fields)


def make_agreement(engagement: Engagement, signed: bool = False, **extra: Any) -> ServiceAgreement:
    fields = {
        "number": f"SA-{engagement.pk}",
        "owner_party": "市大数据局 City Data Bureau",
        "provider_party": str(engagement.provider_name),
        "start_date": START,
        "end_date": END,
        "value": Decimal("1200000.00"),
        "monthly_fee": Decimal("100000.00"),
        "notice_period_days": 90,
    }
    fields.update(extra)
    agreement = do_save_agreement(engagement, acting_user=SYSTEM, changes=fields)
    if signed:
        do_attach_signed_agreement(agreement, upload=pdf(), acting_user=SYSTEM)
    return agreement


@pytest.fixture
def service(vendor_a: Any) -> Engagement:
    return make_engagement(vendor_a)


@pytest.fixture
def agreement(service: Engagement) -> ServiceAgreement:
    return make_agreement(service)


@pytest.fixture
def availability(service: Engagement, agreement: ServiceAgreement) -> SlaMetric:
    """Availability ≥ 99.9 %: credit 5 % from a 0.1 shortfall, 10 % from 0.5, 25 % from 1.0."""
    return do_save_metric(
        None,
        engagement=service,
        acting_user=SYSTEM,
        changes={"name": "Availability", "unit": "%", "target": Decimal("99.9"), "higher_is_better": True},
        bands=[(Decimal("0.1"), Decimal(5)), (Decimal("0.5"), Decimal(10)), (Decimal("1.0"), Decimal(25))],
    )


@pytest.fixture
def response_time(service: Engagement, agreement: ServiceAgreement) -> SlaMetric:
    """Incident response ≤ 4 hours, lower is better: 10 % from 1 hour over, 20 % from 4 hours over."""
    return do_save_metric(
        None,
        engagement=service,
        acting_user=SYSTEM,
        changes={"name": "Response time", "unit": "h", "target": Decimal(4), "higher_is_better": False},
        bands=[(Decimal(1), Decimal(10)), (Decimal(4), Decimal(20))],
    )


@pytest.fixture
def fake_checks() -> Any:
    """Register fake activation checks for a test and remove them afterwards."""
    added: list[Any] = []

    def add(*blockers: registry.Blocker) -> None:
        def check(engagements: Any, as_of: Any, *, detail: bool = True) -> dict[int, list[registry.Blocker]]:
            return {e.pk: list(blockers) for e in engagements}

        registry.register_activation_check(check)
        added.append(check)

    yield add
    for check in added:
        registry.activation_checks.remove(check)


def csv_file(text: str, name: str = "measurements.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list[Any]]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("measurements.xlsx", buffer.getvalue())


def put(client: Any, path: str, data: Any) -> Any:
    """PUT through the shared ApiClient (which has no put method)."""
    return client.client.put("/api/v1" + path, data, content_type="application/json", headers=client.headers)


@pytest.fixture(autouse=True)
def _no_other_apps_activation_checks(only_registered: Any) -> None:
    """The lifecycle rules here are tested with fake checks; other apps' real checks have their own tests."""
    only_registered("engagements")
