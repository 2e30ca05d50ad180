"""Roster import: all rows checked first, all or nothing, the same file twice changes nothing."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from outsourcing.teams.imports import COLUMNS
from outsourcing.teams.models import ImportJob, TeamMember

pytestmark = pytest.mark.django_db


def _csv(rows, name="roster.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def _row(i, **changes):
    row = {
        "employee_number": f"E{i:05d}",
        "full_name": f"员工 {i}",
        "employment_type": "regular",
        "title": "Engineer",
        "hire_date": "2021-03-01",
        "probation_end_date": "2021-08-31",
        "left_date": "",
        "prior_experience_months": "12",
        "identity_number": "",
    }
    row.update(changes)
    return [row[c] for c in COLUMNS]


def _import(api, user, vendor, upload, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(user).post(f"/vendors/{vendor.pk}/roster-imports", {}, files={"file": upload})
    assert response.status_code == 201, response.content
    return api(user).get(f"/roster-imports/{response.json()['id']}").json()


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(
    api, vendor_a_user, django_capture_on_commit_callbacks
):
    rows = [
        _row(1),
        _row(2, hire_date="2021-02-30"),
        _row(3),
        _row(4, employment_type="freelancer"),
        _row(5, left_date="2020-01-01"),
        _row(1, full_name="dup"),
        _row(7, prior_experience_months="601"),
    ]
    job = _import(api, vendor_a_user, vendor_a_user.vendor, _csv(rows), django_capture_on_commit_callbacks)
    assert job["status"] == "failed"
    assert [e["line"] for e in job["errors"]] == [3, 5, 6, 7, 8]
    assert [e["field"] for e in job["errors"]] == [
        "hire_date",
        "employment_type",
        "left_date",
        "employee_number",
        "prior_experience_months",
    ]
    assert "line 2" in job["errors"][3]["msg"]
    assert job["error_count"] == 5
    assert not TeamMember.objects.exists()


def test_the_same_file_twice_changes_nothing_the_second_time(
    api, manager, vendor_a, django_capture_on_commit_callbacks
):
    rows = [_row(i) for i in range(1, 21)]
    first = _import(api, manager, vendor_a, _csv(rows), django_capture_on_commit_callbacks)
    assert first["status"] == "done" and first["created_count"] == 20
    entries = LogEntry.objects.get_for_model(TeamMember).count()
    second = _import(api, manager, vendor_a, _csv(rows), django_capture_on_commit_callbacks)
    assert second["status"] == "done"
    assert (second["created_count"], second["updated_count"], second["unchanged_count"]) == (0, 0, 20)
    assert LogEntry.objects.get_for_model(TeamMember).count() == entries
    rows[0] = _row(1, left_date="2024-06-01")
    third = _import(api, manager, vendor_a, _csv(rows), django_capture_on_commit_callbacks)
    assert (third["created_count"], third["updated_count"]) == (0, 1)
    assert str(TeamMember.objects.get(employee_number="E00001").left_date) == "2024-06-01"


def test_xlsx_rosters_are_imported(api, vendor_a_user, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(_row(1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    job = _import(api, vendor_a_user, vendor_a_user.vendor, upload, django_capture_on_commit_callbacks)
    assert job["status"] == "done" and job["created_count"] == 1


def test_ten_thousand_rows_import_in_one_go(api, manager, vendor_a, django_capture_on_commit_callbacks):
    rows = [_row(i) for i in range(10_000)]
    job = _import(api, manager, vendor_a, _csv(rows), django_capture_on_commit_callbacks)
    assert job["status"] == "done", job["errors"][:3]
    assert job["total_rows"] == job["processed_rows"] == 10_000
    assert TeamMember.objects.filter(vendor=vendor_a).count() == 10_000


def test_vendor_b_cannot_see_a_import(api, vendor_a_user, vendor_b_user, django_capture_on_commit_callbacks):
    job = _import(api, vendor_a_user, vendor_a_user.vendor, _csv([_row(1)]), django_capture_on_commit_callbacks)
    assert api(vendor_b_user).get(f"/roster-imports/{job['id']}").status_code == 404


def test_vendor_b_cannot_import_into_a(api, vendor_a, vendor_b_user, auditor):
    assert (
        api(vendor_b_user)
        .post(f"/vendors/{vendor_a.pk}/roster-imports", {}, files={"file": _csv([_row(1)])})
        .status_code
        == 404
    )
    assert (
        api(auditor).post(f"/vendors/{vendor_a.pk}/roster-imports", {}, files={"file": _csv([_row(1)])}).status_code
        == 403
    )
    assert not ImportJob.objects.exists()


def test_a_missing_column_is_reported_on_line_one(api, manager, vendor_a, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("r.csv", b"full_name,hire_date\nA,2020-01-01\n")
    job = _import(api, manager, vendor_a, upload, django_capture_on_commit_callbacks)
    assert job["status"] == "failed" and job["errors"][0]["line"] == 1
    assert "employee_number" in job["errors"][0]["msg"]
