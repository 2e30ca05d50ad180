"""Roster import of identity numbers: hashed on the way in, validated as the form validates them (the check
character of a resident identity number included), all or nothing, and never kept in clear anywhere."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from outsourcing.teams.identity import keyed_hash, valid_resident_id
from outsourcing.teams.imports import COLUMNS
from outsourcing.teams.models import ImportJob, TeamMember

pytestmark = pytest.mark.django_db

ID = valid_resident_id("11010519900307123")
OTHER = valid_resident_id("44030519881224561")
WRONG = ID[:17] + ("0" if ID[17] != "0" else "1")  # the check character does not match


def _row(i: int, identity: Any = "") -> dict[str, Any]:
    return {
        "employee_number": f"E{i:05d}",
        "full_name": f"员工 {i}",
        "employment_type": "regular",
        "title": "Engineer",
        "hire_date": "2021-03-01",
        "probation_end_date": "",
        "left_date": "",
        "prior_experience_months": "12",
        "identity_number": identity,
    }


def _csv(rows: list[dict[str, Any]], columns: list[str] = COLUMNS) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([[r[c] for c in columns] for r in rows])
    return SimpleUploadedFile("roster.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")


def _import(api: Any, user: Any, vendor: Any, upload: Any, capture: Any) -> dict[str, Any]:
    with capture(execute=True):
        response = api(user).post(f"/vendors/{vendor.pk}/roster-imports", {}, files={"file": upload})
    assert response.status_code == 201, response.content
    return api(user).get(f"/roster-imports/{response.json()['id']}").json()


def _nowhere_in_clear(*numbers: str) -> None:
    """Neither the people, the audit trail nor the stored import jobs hold any of the numbers."""
    stored = [
        str(list(TeamMember.objects.values())),
        str(list(LogEntry.objects.values("changes", "changes_text", "object_repr", "additional_data"))),
        str(list(ImportJob.objects.values())),
    ]
    for number in numbers:
        for text in stored:
            assert number not in text and number.lower() not in text


def test_the_numbers_are_hashed_on_the_way_in(api, vendor_a_user, django_capture_on_commit_callbacks):
    rows = [_row(1, f" {ID[:6]} {ID[6:]} "), _row(2, "e1234567"), _row(3)]
    job = _import(api, vendor_a_user, vendor_a_user.vendor, _csv(rows), django_capture_on_commit_callbacks)
    assert job["status"] == "done" and job["created_count"] == 3
    people = {m.employee_number: m for m in TeamMember.objects.all()}
    assert (people["E00001"].identity_hash, people["E00001"].identity_last4) == (keyed_hash(ID), ID[-4:])
    assert (people["E00002"].identity_hash, people["E00002"].identity_last4) == (keyed_hash("E1234567"), "4567")
    assert (people["E00003"].identity_hash, people["E00003"].identity_last4) == ("", "")
    _nowhere_in_clear(ID, "E1234567")
    assert not ImportJob.objects.get(pk=job["id"]).file  # the uploaded file is gone once imported


def test_bad_numbers_are_listed_per_row_and_nothing_is_imported(api, vendor_a_user, django_capture_on_commit_callbacks):
    rows = [_row(1, ID), _row(2, WRONG), _row(3, "12"), _row(4, "E1234567!"), _row(5, OTHER)]
    job = _import(api, vendor_a_user, vendor_a_user.vendor, _csv(rows), django_capture_on_commit_callbacks)
    assert job["status"] == "failed" and job["error_count"] == 3
    assert [(e["line"], e["field"]) for e in job["errors"]] == [
        (3, "identity_number"),
        (4, "identity_number"),
        (5, "identity_number"),
    ]
    assert "check character" in job["errors"][0]["msg"]
    assert "5 to 32 letters and digits" in job["errors"][1]["msg"]
    assert not TeamMember.objects.exists()
    _nowhere_in_clear(ID, WRONG, OTHER, "E1234567!")


def test_an_empty_cell_keeps_the_number_on_file_and_a_new_one_replaces_it(
    api, manager, vendor_a, django_capture_on_commit_callbacks
):
    first = _import(api, manager, vendor_a, _csv([_row(1, ID), _row(2, ID)]), django_capture_on_commit_callbacks)
    assert first["created_count"] == 2
    # A roster exported from here (no numbers) imported back changes nothing; leaving the column out neither.
    again = _import(api, manager, vendor_a, _csv([_row(1), _row(2)]), django_capture_on_commit_callbacks)
    assert (again["updated_count"], again["unchanged_count"]) == (0, 2)
    without = [c for c in COLUMNS if c != "identity_number"]
    plain = _import(api, manager, vendor_a, _csv([_row(1), _row(2)], without), django_capture_on_commit_callbacks)
    assert (plain["updated_count"], plain["unchanged_count"]) == (0, 2)
    assert set(TeamMember.objects.values_list("identity_hash", flat=True)) == {keyed_hash(ID)}
    changed = _import(api, manager, vendor_a, _csv([_row(1, OTHER), _row(2)]), django_capture_on_commit_callbacks)
    assert (changed["updated_count"], changed["unchanged_count"]) == (1, 1)
    assert TeamMember.objects.get(employee_number="E00001").identity_hash == keyed_hash(OTHER)
    _nowhere_in_clear(ID, OTHER)


def test_an_imported_number_matches_the_same_person_at_another_vendor(
    api, manager, vendor_a_user, vendor_b_user, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from outsourcing.teams.double_booking import double_booked

    for user in (vendor_a_user, vendor_b_user):
        upload = _csv([_row(1, ID.lower()), _row(2)])
        assert _import(api, user, user.vendor, upload, django_capture_on_commit_callbacks)["status"] == "done"
    matched = double_booked(timezone.localdate())
    assert {m.vendor_id for m in matched} == {vendor_a_user.vendor_id, vendor_b_user.vendor_id}


def test_a_spreadsheet_number_that_lost_its_digits_is_named(api, vendor_a_user, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    as_number = _row(1)
    as_number["identity_number"] = int(ID[:17] + "0")  # typed into a number cell: kept as a double
    sheet.append([as_number[c] for c in COLUMNS])
    sheet.append([_row(2, ID)[c] for c in COLUMNS])
    short = _row(3)
    short["identity_number"] = 12345678  # a short passport-like number typed as a number is read exactly
    sheet.append([short[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    job = _import(api, vendor_a_user, vendor_a_user.vendor, upload, django_capture_on_commit_callbacks)
    assert job["status"] == "failed"
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(2, "identity_number")]
    assert "format the column as text" in job["errors"][0]["msg"]
    assert not TeamMember.objects.exists()
    sheet.delete_rows(2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _import(
        api,
        vendor_a_user,
        vendor_a_user.vendor,
        SimpleUploadedFile("roster.xlsx", buffer.getvalue()),
        django_capture_on_commit_callbacks,
    )
    assert job["status"] == "done" and job["created_count"] == 2
    assert TeamMember.objects.get(employee_number="E00003").identity_last4 == "5678"
