"""Reading certificate files in the background: an upload never waits for OCR."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .choices import ReadingStatus
from .models import CertificateReading, Qualification
from .reading import Comparison, Reading, compare, read_file


def request_reading(qualification: Qualification, document: Any) -> CertificateReading:
    """Record that the file waits to be read and read it once the upload's transaction has committed."""
    reading = CertificateReading.objects.create(qualification=qualification, document=document)
    transaction.on_commit(lambda: read_certificate_task.enqueue(reading.pk))
    return reading


@task()
def read_certificate_task(reading_id: int) -> None:
    run_reading(reading_id)


def run_reading(reading_id: int) -> CertificateReading | None:
    """Read the file and store what was found; a file that cannot be read ends as "not read", never failed."""
    reading = CertificateReading.objects.select_related("document").filter(pk=reading_id).first()
    if reading is None or reading.finished:
        return reading  # deleted with its certificate, or already read by an earlier run
    CertificateReading.objects.filter(pk=reading.pk).update(status=ReadingStatus.RUNNING, progress=10)
    try:
        with reading.document.file.open("rb") as handle:
            result = read_file(handle.read())
    except OSError:
        result = Reading(method="none", text="", problem="the file is missing")
    reading.status = ReadingStatus.READ if result.read else ReadingStatus.NOT_READ
    reading.progress = 100
    reading.method = result.method
    reading.fields = {name: {"value": f.value, "source": f.source[:300]} for name, f in result.fields.items()}
    reading.qr = [payload[:1000] for payload in result.qr[:5]]
    reading.text = result.text
    reading.problem = result.problem[:200]
    reading.finished_at = timezone.now()
    reading.save()
    return reading


def comparison(reading: CertificateReading) -> list[Comparison]:
    """The reading against the qualification as typed now (typed fields may be corrected after the upload)."""
    from .reading import Found

    qualification = reading.qualification
    result = Reading(
        method=reading.method,
        text="",
        fields={name: Found(f["value"], f["source"]) for name, f in (reading.fields or {}).items()},
    )
    typed = {
        "number": qualification.number,
        "issuer": qualification.issuer,
        "type_code": qualification.type.code,
        "level": qualification.level,
        "valid_from": qualification.valid_from,
        "valid_until": qualification.valid_until,
    }
    vendor = qualification.vendor
    return compare(result, typed=typed, holder_names=[vendor.name, getattr(vendor, "english_name", "")])
