"""What was read from a qualification's evidence files, compared with the typed record."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from outsourcing.core.api import get_visible

from .choices import FieldVerdict, ReadingStatus
from .models import CertificateReading, Qualification
from .tasks import comparison

router = Router(tags=["qualifications"])


class FieldOut(Schema):
    field: str
    typed: str
    read: str
    source: str
    verdict: FieldVerdict


class ReadingOut(Schema):
    id: int
    document_id: int
    status: ReadingStatus
    progress: int
    method: str
    problem: str
    qr: list[str]
    fields: list[FieldOut]
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def reading_out(reading: CertificateReading) -> dict[str, Any]:
    rows = comparison(reading) if reading.status == ReadingStatus.READ else []
    return {
        "id": reading.pk,
        "document_id": reading.document_id,
        "status": reading.status,
        "progress": reading.progress,
        "method": reading.method,
        "problem": reading.problem,
        "qr": reading.qr,
        "fields": [row.__dict__ for row in rows],
        "created_at": reading.created_at,
        "finished_at": reading.finished_at,
    }


@router.get("/qualifications/{qualification_id}/readings", response=list[ReadingOut])
def list_readings(request: HttpRequest, qualification_id: int) -> Any:
    """Each evidence file as read (text layer, OCR or QR code) and every certificate field compared with the
    qualification as typed: matches, differs or not found, with the text it was read from."""
    qualification = get_visible(
        Qualification.objects.select_related("type", "vendor"), request.user, pk=qualification_id
    )
    readings = qualification.readings.select_related("qualification__type", "qualification__vendor")
    return [reading_out(r) for r in readings]
