"""Roster import from CSV or XLSX: every row is checked first; any bad row means nothing is imported.

A good file is written in one transaction and matched to existing people by employee number, so the same
file imported twice changes nothing the second time. It runs as a background task (django-tasks) and
reports its progress on its ImportJob, which the page polls.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from outsourcing.core.access import ensure_can_change
from outsourcing.core.audit import acting_as

from .choices import EmploymentType, ImportStatus
from .models import ImportJob, TeamMember

COLUMNS = [
    "employee_number",
    "full_name",
    "employment_type",
    "title",
    "hire_date",
    "probation_end_date",
    "left_date",
    "prior_experience_months",
]
REQUIRED = {"employee_number", "full_name", "employment_type", "hire_date"}
MAX_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 500


@dataclass
class RowError:
    line: int
    reason: str


def _rows(data: bytes, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number as the user sees it, {column: value}) for every non-empty row; line 1 is the header."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        lines = ([("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True))
    else:
        text = data.decode("utf-8-sig")
        lines = (list(row) for row in csv.reader(io.StringIO(text)))
    header: list[str] | None = None
    for number, values in enumerate(lines, start=1):
        if header is None:
            header = [str(v).strip().lower() for v in values]
            missing = REQUIRED - set(header)
            if missing:
                raise ValidationError(
                    {"file": _("The header lacks the columns: %(cols)s.") % {"cols": ", ".join(sorted(missing))}}
                )
            continue
        if all(str(v).strip() == "" for v in values):
            continue
        yield (
            number,
            {key: values[i] if i < len(values) else "" for i, key in enumerate(header) if key in COLUMNS},
        )


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    return datetime.date.fromisoformat(text)


def _member_from_row(vendor: Any, row: dict[str, Any]) -> TeamMember:
    """A TeamMember built and fully validated from one row (raises ValidationError naming the fields)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in COLUMNS:
        raw = row.get(key, "")
        if key in {"hire_date", "probation_end_date", "left_date"}:
            try:
                values[key] = _date(raw)
            except ValueError:
                errors[key] = _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": raw}
        elif key == "prior_experience_months":
            text = str(raw).strip()
            try:
                values[key] = int(float(text)) if text else 0
                if text and float(text) != values[key]:
                    raise ValueError
            except ValueError:
                errors[key] = _("“%(value)s” is not a whole number.") % {"value": raw}
        elif isinstance(raw, float) and raw.is_integer():
            values[key] = str(int(raw))  # a spreadsheet keeps employee number 1001 as 1001.0
        else:
            values[key] = str(raw).strip()
    if not values.get("employee_number") and "employee_number" not in errors:
        errors["employee_number"] = _("An employee number is required to match people on re-import.")
    if values.get("employment_type") and values["employment_type"] not in EmploymentType.values:
        errors["employment_type"] = _("Use one of: %(values)s.") % {"values": ", ".join(EmploymentType.values)}
    if errors:
        raise ValidationError(errors)
    member = TeamMember(vendor=vendor, **values)
    member.full_clean(validate_unique=False, validate_constraints=False)
    return member


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(m for e in errs for m in e.messages)}" for field, errs in exc.error_dict.items()
        )
    return " ".join(exc.messages)


def _progress(job: ImportJob, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run_import(job: ImportJob) -> ImportJob:
    """Validate every row, then write all of them in one transaction, or nothing."""
    vendor = job.vendor
    actor = job.created_by
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        rows = list(_rows(data, job.original_name))
    except (ValidationError, ValueError, UnicodeDecodeError, csv.Error, OSError, KeyError) as exc:
        reason = _describe(exc) if isinstance(exc, ValidationError) else _("The file cannot be read as CSV or XLSX.")
        _progress(
            job,
            status=ImportStatus.FAILED,
            errors=[{"line": 1, "reason": reason}],
            finished_at=timezone.now(),
        )
        return job
    _progress(job, status=ImportStatus.VALIDATING, total_rows=len(rows), processed_rows=0)
    errors: list[dict[str, Any]] = []
    members: list[tuple[int, TeamMember]] = []
    seen: dict[str, int] = {}
    for index, (line, row) in enumerate(rows, start=1):
        try:
            member = _member_from_row(vendor, row)
        except ValidationError as exc:
            errors.append({"line": line, "reason": _describe(exc)})
        else:
            if member.employee_number in seen:
                errors.append(
                    {
                        "line": line,
                        "reason": _("employee_number: %(number)s also appears on line %(other)s.")
                        % {"number": member.employee_number, "other": seen[member.employee_number]},
                    }
                )
            else:
                seen[member.employee_number] = line
                members.append((line, member))
        if index % PROGRESS_EVERY == 0:
            _progress(job, processed_rows=index)
    if errors or not rows:
        if not rows:
            errors = [{"line": 1, "reason": _("The file has no rows to import.")}]
        _progress(
            job,
            status=ImportStatus.FAILED,
            errors=errors,
            processed_rows=len(rows),
            finished_at=timezone.now(),
        )
        return job
    _progress(job, status=ImportStatus.WRITING, processed_rows=len(rows))
    existing = {
        m.employee_number: m
        for m in TeamMember.objects.filter(vendor=vendor, employee_number__in=list(seen)).order_by()
    }
    try:
        created, updated, unchanged = _write(members, existing, actor)
    except IntegrityError:
        # Someone added one of these employee numbers while we were writing: nothing was written.
        reason = _("Another change to this roster happened during the import; nothing was imported. Try again.")
        _progress(
            job,
            status=ImportStatus.FAILED,
            errors=[{"line": 1, "reason": reason}],
            finished_at=timezone.now(),
        )
        return job
    _progress(
        job,
        status=ImportStatus.DONE,
        created_count=created,
        updated_count=updated,
        unchanged_count=unchanged,
        finished_at=timezone.now(),
    )
    return job


def _write(members: list[tuple[int, TeamMember]], existing: dict[str, TeamMember], actor: Any) -> tuple[int, int, int]:
    """Insert new people and update changed ones in one transaction; unchanged rows are not touched."""
    created = updated = unchanged = 0
    with transaction.atomic(), acting_as(actor):
        for _line, member in members:
            current = existing.get(member.employee_number)
            if current is None:
                member.save()
                created += 1
                continue
            changed = [f for f in COLUMNS if getattr(current, f) != getattr(member, f)]
            if not changed:
                unchanged += 1
                continue
            for field in changed:
                setattr(current, field, getattr(member, field))
            current.save()
            updated += 1
    return created, updated, unchanged


@task()
def roster_import_task(job_id: int) -> None:
    run_import(ImportJob.objects.select_related("vendor", "created_by").get(pk=job_id))


def do_start_roster_import(vendor: Any, *, upload: UploadedFile | None, acting_user: Any) -> ImportJob:
    """Store the file and queue its import; the job reports how it goes."""
    job = ImportJob(vendor=vendor)
    ensure_can_change(acting_user, job)
    if upload is None:
        raise ValidationError({"file": _("Choose a CSV or XLSX file.")})
    name = upload.name or "roster"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Only CSV and XLSX files can be imported.")})
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    job.original_name = name[-255:]
    job.created_by = acting_user if getattr(acting_user, "pk", None) else None
    with transaction.atomic():
        job.file.save(name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: roster_import_task.enqueue(job.pk))
    job.refresh_from_db()
    return job
