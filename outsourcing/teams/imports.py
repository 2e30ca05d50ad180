"""Roster import from CSV or XLSX: every row is checked first; any bad row means nothing is imported.

The file is read by the one tabular reader (`core.tabular`: typed by content, capped, streamed) and
written by `actions.do_import_members` (matched by employee number, so the same file twice changes nothing
the second time; bulk writes, audited with the importing user as actor). It runs as a background task and
reports on its ImportJob, which the page polls. Every job ends `done` or `failed` with a readable error,
whatever goes wrong; the file is removed from disk as soon as its content is refused.

Fairness: the jobs of every vendor share one queue, ordered by priority. A vendor's first waiting job
outranks anyone's second, and within a round smaller files go first; with a time budget per job, no vendor
waits for more than one job of another vendor's. (A queue per vendor would need a worker per vendor to
help, and the product runs one worker.)
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from outsourcing.core.access import ensure_can_change
from outsourcing.core.bulk import collector_paused
from outsourcing.core.jobs import retry_while_locked
from outsourcing.core.tabular import MAX_BYTES, RowErrors, check_size, cut, read_table

from .actions import MEMBER_FIELDS, ImportCounts, do_import_members
from .choices import ImportStatus
from .models import ImportJob

COLUMNS = [
    "employee_number",
    "full_name",
    "employment_type",
    "title",
    "hire_date",
    "probation_end_date",
    "left_date",
    "prior_experience_months",
    "identity_number",  # optional: hashed on the way in (teams.identity), never kept in clear
]
REQUIRED = ["employee_number", "full_name", "employment_type", "hire_date"]
DATES = {"hire_date", "probation_end_date", "left_date"}
UNFINISHED = [ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.WRITING]
IDENTITY = "identity_number"
# A spreadsheet keeps numbers as doubles: an 18-digit identity number typed as a number has lost its last digits.
EXACT_DIGITS = 15
assert set(COLUMNS) <= set(MEMBER_FIELDS)


class TimeBudgetExceeded(Exception):
    pass


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """A row's cells as the values of a TeamMember's fields (validation is the action's)."""
    fields: dict[str, Any] = {}
    for key, raw in values.items():
        if type(raw) is str:  # every cell of a CSV: the rules below for a str, in short
            raw = raw.strip()
            fields[key] = raw if raw != "" else (None if key in DATES or key == IDENTITY else "")
            continue
        if isinstance(raw, datetime.datetime):
            raw = raw.date()
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # a spreadsheet keeps employee number 1001 as 1001.0
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            # An empty identity number keeps the one on file: a roster exported from here never holds them.
            fields[key] = None if key in DATES or key == IDENTITY else ""
        elif key in DATES or key == "prior_experience_months":
            fields[key] = raw
        else:
            fields[key] = str(raw)
    return fields


def _identity_problem(raw: Any) -> str | None:
    """Why an identity number cell cannot be read as typed (a number too long to be exact), or None."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    if isinstance(raw, float) and not raw.is_integer():
        return _("Enter the identity card or passport number: 5 to 32 letters and digits.")
    if abs(raw) >= 10**EXACT_DIGITS:
        return _(
            "The spreadsheet stores this identity number as a number and has lost its last digits: format the "
            "column as text and type the number again."
        )
    return None


def _progress(job: ImportJob, **fields: Any) -> None:
    fields["updated_at"] = timezone.now()
    for key, value in fields.items():
        setattr(job, key, value)
    retry_while_locked(lambda: ImportJob.objects.filter(pk=job.pk).update(**fields))


def _fail(job: ImportJob, errors: list[dict[str, Any]], total: int, *, keep_file: bool = False) -> ImportJob:
    """End the job as failed; the file goes unless the failure was not the file's fault (then it may be retried)."""
    _progress(job, status=ImportStatus.FAILED, errors=errors, error_count=total, finished_at=timezone.now())
    if not keep_file:
        _remove_file(job)
    return job


def _remove_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        retry_while_locked(lambda: ImportJob.objects.filter(pk=job.pk).update(file=""))


def run_import(job: ImportJob) -> ImportJob:
    """Validate every row, then write all of them in one transaction, or nothing. Always ends the job."""
    if job.finished:
        return job  # a re-delivered task whose job already ended (e.g. its worker died after the commit)
    try:
        with collector_paused():
            return _run(job)
    except TimeBudgetExceeded:
        budget = settings.OUTSOURCING_IMPORT_TIME_BUDGET
        reason = _("The import took longer than %(s)s seconds and was stopped; nothing was imported.") % {"s": budget}
        return _fail(job, [{"line": 0, "field": "", "msg": reason}], 1, keep_file=True)
    except Exception as exc:  # whatever happens, the job must not stay unfinished
        reason = _("The import stopped unexpectedly; nothing was imported (%(error)s).") % {
            "error": cut(f"{type(exc).__name__}: {exc}", 200)
        }
        _fail(job, [{"line": 0, "field": "", "msg": reason}], 1, keep_file=True)
        raise


def _run(job: ImportJob) -> ImportJob:
    started = time.monotonic()
    budget = settings.OUTSOURCING_IMPORT_TIME_BUDGET

    def within_budget() -> None:
        if time.monotonic() - started > budget:
            raise TimeBudgetExceeded

    def tick(processed: int) -> None:
        within_budget()
        _progress(job, processed_rows=processed)

    _progress(
        job, status=ImportStatus.VALIDATING, processed_rows=0, errors=[], error_count=0, attempts=job.attempts + 1
    )
    errors = RowErrors()
    try:
        with job.file.open("rb") as handle:
            rows = []
            for index, row in enumerate(read_table(handle, columns=COLUMNS, required=REQUIRED, errors=errors), start=1):
                problem = _identity_problem(row.values.get(IDENTITY))
                if problem:
                    errors.add(row.line, IDENTITY, problem)  # never the value: the number is not kept in clear
                    continue
                rows.append((row.line, _fields({k: v for k, v in row.values.items() if k in COLUMNS})))
                if index % 1000 == 0:
                    within_budget()
    except ValidationError as exc:
        return _fail(job, [{"line": 1, "field": "file", "msg": cut(m, 300)} for m in exc.messages], 1)
    if not rows and not errors:
        return _fail(job, [{"line": 1, "field": "file", "msg": _("The file has no rows to import.")}], 1)
    _progress(job, total_rows=len(rows) + errors.total)

    def record(counts: ImportCounts) -> None:
        within_budget()
        _progress(
            job,
            status=ImportStatus.DONE,
            processed_rows=len(rows),
            created_count=counts.created,
            updated_count=counts.updated,
            unchanged_count=counts.unchanged,
            finished_at=timezone.now(),
        )

    try:
        counts = do_import_members(
            job.vendor, rows=rows, acting_user=job.created_by, errors=errors, progress=tick, on_commit=record
        )
    except IntegrityError:
        # Someone added one of these employee numbers while we were writing: nothing was written.
        reason = _("Another change to this roster happened during the import; nothing was imported. Try again.")
        return _fail(job, [{"line": 1, "field": "", "msg": reason}], 1, keep_file=True)
    if counts is None:
        _progress(job, processed_rows=len(rows))
        return _fail(job, errors.as_list(), errors.total)
    _remove_file(job)  # imported: the file (which may hold identity numbers in clear) is no longer needed
    return job


@task()
def roster_import_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("vendor", "created_by").filter(pk=job_id).first()
    if job is not None:
        run_import(job)


def _priority(vendor: Any, size: int) -> int:
    """Round robin over vendors (a vendor's n-th waiting job ranks below everyone's (n-1)-th), small files first."""
    waiting = ImportJob.objects.filter(vendor=vendor, status__in=UNFINISHED).count()
    return -(min(waiting, 9) * 10 + min(9, size * 10 // (MAX_BYTES + 1)))


def _enqueue(job: ImportJob) -> None:
    backend_task = roster_import_task
    if backend_task.get_backend().supports_priority:
        size = job.file.size if job.file else 0
        backend_task = backend_task.using(priority=_priority(job.vendor, size))
    backend_task.enqueue(job.pk)


def do_start_roster_import(vendor: Any, *, upload: UploadedFile | None, acting_user: Any) -> ImportJob:
    """Store the file and queue its import; the job reports how it goes. The reader tells CSV from XLSX."""
    job = ImportJob(vendor=vendor)
    ensure_can_change(acting_user, job)
    if upload is None:
        raise ValidationError({"file": _("Choose a CSV or XLSX file.")})
    check_size(upload.size)
    name = upload.name or "roster"
    job.original_name = name[-255:]
    job.created_by = acting_user if getattr(acting_user, "pk", None) else None
    with transaction.atomic():
        job.file.save(name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job))
    job.refresh_from_db()
    return job


def can_retry(job: ImportJob) -> bool:
    """A job may run again when it failed for a reason other than its file's content, or got stuck."""
    if not job.file:
        return False
    return job.status == ImportStatus.FAILED or (job.status in UNFINISHED and job.stuck)


def do_retry_roster_import(job: ImportJob, *, acting_user: Any) -> ImportJob:
    """Queue a failed or stuck import again with the same file."""
    ensure_can_change(acting_user, job)
    if not can_retry(job):
        raise ValidationError(
            {"file": _("Only a failed or stuck import whose file is still kept can be retried; upload the file again.")}
        )
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.QUEUED,
            errors=[],
            error_count=0,
            processed_rows=0,
            finished_at=None,
            updated_at=timezone.now(),
        )
        transaction.on_commit(lambda: _enqueue(job))
    job.refresh_from_db()
    return job


@receiver(task_finished, dispatch_uid="teams.roster_import_task_finished")
def _end_job_of_failed_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A task that failed outside run_import (its worker was lost too often) still ends its job."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != roster_import_task.module_path:
        return
    job = ImportJob.objects.filter(pk=task_result.args[0], status__in=UNFINISHED).first()
    if job is not None:
        reason = _("The worker running this import stopped before it ended; nothing was imported. Retry it.")
        _fail(job, [{"line": 0, "field": "", "msg": reason}], 1, keep_file=True)
