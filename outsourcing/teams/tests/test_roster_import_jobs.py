"""Roster import jobs always end, done or failed with a readable error; bounded errors; bulk, audited writes."""

import io
import json
import os
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from outsourcing.core.tabular import MAX_ERRORS
from outsourcing.teams import imports
from outsourcing.teams.imports import COLUMNS, run_import
from outsourcing.teams.models import ImportJob, TeamMember

from .test_roster_import import _csv, _import, _row

pytestmark = pytest.mark.django_db


def _roster_writes(queries):
    """The statements writing people and their audit entries (SQLite takes at most 999 parameters each)."""
    targets = ('INSERT INTO "teams_teammember"', 'UPDATE "teams_teammember"', 'INSERT INTO "auditlog_logentry"')
    return [q for q in queries.captured_queries if q["sql"].startswith(targets)]


def _stored_path(job_id):
    return ImportJob.objects.get(pk=job_id).file


def test_an_xlsx_that_is_not_a_zip_ends_failed_with_a_readable_error_and_its_file_removed(
    api, vendor_a_user, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("roster.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    job = _import(api, vendor_a_user, vendor_a_user.vendor, upload, django_capture_on_commit_callbacks)
    assert job["status"] == "failed"
    assert "neither an XLSX workbook nor a UTF-8 CSV" in job["errors"][0]["msg"]
    assert not _stored_path(job["id"])
    assert not TeamMember.objects.exists()


def test_a_nul_byte_in_a_roster_csv_ends_failed_naming_its_row(
    api, manager, vendor_a, django_capture_on_commit_callbacks
):
    upload = _csv([_row(1), _row(2, full_name="Li\x00Lei"), _row(3)])
    job = _import(api, manager, vendor_a, upload, django_capture_on_commit_callbacks)
    assert job["status"] == "failed"
    assert job["errors"] == [{"line": 3, "field": "full_name", "msg": "The value contains a NUL character."}]
    assert not TeamMember.objects.exists()


def test_a_damaged_xlsx_ends_failed(api, manager, vendor_a, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04" + b"\x00" * 500)
    job = _import(api, manager, vendor_a, upload, django_capture_on_commit_callbacks)
    assert job["status"] == "failed" and "not a readable XLSX" in job["errors"][0]["msg"]


def test_a_workbook_claiming_a_million_rows_is_refused(api, manager, vendor_a, django_capture_on_commit_callbacks):
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append(_row(1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>E9</t></is></c></row>'
                data = data.replace(b"</sheetData>", far + b"</sheetData>")
                data = data.replace(b'<dimension ref="A1:H2"/>', b'<dimension ref="A1:XFD1048576"/>')
            target.writestr(item, data)
    assert len(out.getvalue()) < 10_000
    job = _import(
        api, manager, vendor_a, SimpleUploadedFile("big.xlsx", out.getvalue()), django_capture_on_commit_callbacks
    )
    assert job["status"] == "failed" and "At most 10,000 rows" in job["errors"][0]["msg"]


def test_an_error_bomb_stores_only_the_first_errors_cut_short_and_their_count(
    api, manager, vendor_a, django_capture_on_commit_callbacks
):
    rows = [_row(i, hire_date="x" * 300) for i in range(10_000)]
    job = _import(api, manager, vendor_a, _csv(rows), django_capture_on_commit_callbacks)
    assert job["status"] == "failed"
    assert len(job["errors"]) == MAX_ERRORS
    assert job["error_count"] == 10_000
    stored = ImportJob.objects.get(pk=job["id"]).errors
    assert len(json.dumps(stored)) < 25_000


def test_the_import_is_audited_with_the_importing_user_and_written_in_bulk(
    api, vendor_a_user, django_capture_on_commit_callbacks
):
    rows = [_row(i) for i in range(1, 2_001)]
    with CaptureQueriesContext(connection) as queries:
        job = _import(api, vendor_a_user, vendor_a_user.vendor, _csv(rows), django_capture_on_commit_callbacks)
    assert job["status"] == "done" and job["created_count"] == 2_000
    assert len(_roster_writes(queries)) < 2_000 / 25  # a few per batch of rows, not two per row
    entries = LogEntry.objects.get_for_model(TeamMember)
    assert entries.count() == 2_000
    assert set(entries.values_list("actor_id", flat=True)) == {vendor_a_user.pk}
    assert set(entries.values_list("action", flat=True)) == {LogEntry.Action.CREATE}
    first = TeamMember.objects.get(employee_number="E00001")
    assert LogEntry.objects.get_for_object(first).get().changes_dict["full_name"] == ["None", "员工 1"]

    rows[0] = _row(1, title="Architect")
    job = _import(api, vendor_a_user, vendor_a_user.vendor, _csv(rows), django_capture_on_commit_callbacks)
    assert (job["created_count"], job["updated_count"], job["unchanged_count"]) == (0, 1, 1_999)
    change = LogEntry.objects.get_for_object(first).filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict == {"title": ["Engineer", "Architect"]} and change.actor == vendor_a_user


def test_ten_thousand_rows_are_written_in_a_few_statements(manager, vendor_a, django_capture_on_commit_callbacks):
    upload = _csv([_row(i) for i in range(10_000)])
    job = ImportJob.objects.create(vendor=vendor_a, created_by=manager, original_name="r.csv")
    job.file.save("r.csv", upload)
    with CaptureQueriesContext(connection) as queries:
        run_import(job)
    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 10_000
    assert len(_roster_writes(queries)) < 10_000 / 25


def test_a_job_that_failed_for_a_reason_other_than_its_file_can_be_retried_by_its_owner(
    api, vendor_a_user, vendor_b_user, auditor, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "do_import_members", broken)
    job = _import(api, vendor_a_user, vendor_a_user.vendor, _csv([_row(1)]), django_capture_on_commit_callbacks)
    assert job["status"] == "failed" and "disk on fire" in job["errors"][0]["msg"]
    assert _stored_path(job["id"])  # kept for the retry
    monkeypatch.undo()
    assert api(vendor_b_user).post(f"/roster-imports/{job['id']}/retry").status_code == 404
    assert api(auditor).post(f"/roster-imports/{job['id']}/retry").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api(vendor_a_user).post(f"/roster-imports/{job['id']}/retry")
    assert response.status_code == 200, response.content
    job = api(vendor_a_user).get(f"/roster-imports/{job['id']}").json()
    assert job["status"] == "done" and job["created_count"] == 1 and job["attempts"] == 2


def test_a_job_refused_for_its_content_cannot_be_retried(api, manager, vendor_a, django_capture_on_commit_callbacks):
    job = _import(api, manager, vendor_a, _csv([_row(1, hire_date="soon")]), django_capture_on_commit_callbacks)
    assert job["status"] == "failed"
    response = api(manager).post(f"/roster-imports/{job['id']}/retry")
    assert response.status_code == 422 and "upload the file again" in response.json()["detail"][0]["msg"]


def test_an_import_over_its_time_budget_ends_failed_and_writes_nothing(
    api, manager, vendor_a, settings, django_capture_on_commit_callbacks
):
    settings.OUTSOURCING_IMPORT_TIME_BUDGET = -1
    job = _import(api, manager, vendor_a, _csv([_row(1)]), django_capture_on_commit_callbacks)
    assert job["status"] == "failed" and "longer than -1 seconds" in job["errors"][0]["msg"]
    assert not TeamMember.objects.exists()


def test_a_finished_job_is_not_run_again_when_its_task_is_delivered_twice(
    api, manager, vendor_a, django_capture_on_commit_callbacks
):
    job = _import(api, manager, vendor_a, _csv([_row(1)]), django_capture_on_commit_callbacks)
    entries = LogEntry.objects.count()
    imports.roster_import_task.call(job["id"])
    assert ImportJob.objects.get(pk=job["id"]).attempts == 1
    assert LogEntry.objects.count() == entries


def test_a_vendors_second_waiting_job_ranks_below_another_vendors_first(manager, vendor_a, vendor_b):
    for _ in range(3):
        ImportJob.objects.create(vendor=vendor_a, original_name="a.csv")
    small, big = 1_000, 4 * 1024 * 1024
    assert imports._priority(vendor_b, big) > imports._priority(vendor_a, small)
    assert imports._priority(vendor_b, small) > imports._priority(vendor_b, big)


def test_a_file_refused_for_its_content_is_removed_from_disk(
    api, manager, vendor_a, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("r.csv", b"full_name,hire_date\nA,2020-01-01\n")
    with django_capture_on_commit_callbacks(execute=False):
        response = api(manager).post(f"/vendors/{vendor_a.pk}/roster-imports", {}, files={"file": upload})
    path = ImportJob.objects.get(pk=response.json()["id"]).file.path
    assert os.path.exists(path)
    run_import(ImportJob.objects.get(pk=response.json()["id"]))
    assert not os.path.exists(path)
