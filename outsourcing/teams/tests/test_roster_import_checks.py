"""The roster import checks rows with the model's own rules worked out once per value (MemberPreparer, through
core.bulk.BatchCleaner): on bad files, new people and changes alike, it lists the same errors, row by row and
field by field, as the check it replaced (a copy of the person per row and `full_clean`, kept here as the
reference); a good file writes the same people, and each one's audit entry is what auditlog's own diff
gives for the stored person."""

import copy
from typing import Any

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Field

from outsourcing.teams import actions
from outsourcing.teams.actions import MEMBER_FIELDS, STORED_MEMBER_FIELDS, _apply
from outsourcing.teams.imports import run_import
from outsourcing.teams.models import ImportJob, TeamMember

from .test_roster_import import _csv, _row

pytestmark = pytest.mark.django_db


def _reference_prepare_member(vendor: Any, fields: dict[str, Any], current: Any = None) -> TeamMember:
    """The check before the batch form (prepare_member as it was): a new person or a copy per row, each value
    typed by its field, then the model's full_clean."""
    if current is None:
        member = TeamMember(vendor=vendor)
    else:
        member = copy.copy(current)
        member._state = copy.copy(current._state)
    typed: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        try:
            field = TeamMember._meta.get_field(name) if name in STORED_MEMBER_FIELDS else None
            typed[name] = field.to_python(value) if isinstance(field, Field) else value
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    _apply(member, typed, MEMBER_FIELDS)
    member.full_clean(exclude=["vendor"], validate_unique=False, validate_constraints=False)
    return member


class _Reference:
    def __init__(self, vendor: Any) -> None:
        self.vendor = vendor

    def __call__(self, fields: dict[str, Any], current: Any = None) -> TeamMember:
        return _reference_prepare_member(self.vendor, fields, current)


BAD = [
    {"hire_date": "2021-02-30"},
    {"hire_date": "soon", "left_date": "2020-01-01"},
    {"hire_date": ""},
    {"employment_type": "freelancer"},
    {"employment_type": ""},
    {"left_date": "2020-01-01"},
    {"left_date": "2021-03-01", "probation_end_date": "2021-02-01"},
    {"prior_experience_months": "601"},
    {"prior_experience_months": "-1"},
    {"prior_experience_months": "twelve"},
    {"prior_experience_months": "12.5"},
    {"full_name": ""},
    {"full_name": "   "},
    {"full_name": "名" * 201},
    {"title": "t" * 201, "employee_number": "N" * 65},
    {"identity_number": "12"},
    {"employment_type": "freelancer", "prior_experience_months": "601", "left_date": "2019-01-01"},
]


def _bad_rows() -> list[list[str]]:
    rows = []
    for i in range(40):  # every kind of bad row twice (the second is answered from the first), good ones between
        rows.append(_row(1_000 + i, **BAD[i % len(BAD)]))
        rows.append(_row(2_000 + i))
    rows.append(_row(2_000))  # a duplicate number
    rows.append(_row(0, employee_number=""))
    return rows


def _run(vendor: Any, manager: Any, rows: list[list[str]]) -> ImportJob:
    job = ImportJob.objects.create(vendor=vendor, created_by=manager, original_name="r.csv")
    job.file.save("r.csv", _csv(rows))
    run_import(job)
    job.refresh_from_db()
    return job


def _errors_both_ways(vendor: Any, manager: Any, rows: list[list[str]], monkeypatch: Any) -> tuple[Any, Any]:
    mine = _run(vendor, manager, rows)
    with monkeypatch.context() as patched:
        patched.setattr(actions, "MemberPreparer", _Reference)
        reference = _run(vendor, manager, rows)
    return (mine.status, mine.error_count, mine.errors), (reference.status, reference.error_count, reference.errors)


def test_new_peoples_errors_equal_the_per_row_check(manager: Any, vendor_a: Any, monkeypatch: Any) -> None:
    mine, reference = _errors_both_ways(vendor_a, manager, _bad_rows(), monkeypatch)
    assert mine == reference
    assert mine[0] == "failed" and mine[1] > 40  # every bad row listed (some rows have several errors)
    assert {e["field"] for e in mine[2]} >= {
        "hire_date",
        "employment_type",
        "left_date",
        "probation_end_date",
        "prior_experience_months",
        "full_name",
        "title",
        "employee_number",
        "identity_number",
    }
    assert not TeamMember.objects.exists()


def test_changes_errors_equal_the_per_row_check(manager: Any, vendor_a: Any, monkeypatch: Any) -> None:
    good = [_row(1_000 + i) for i in range(40)]
    assert _run(vendor_a, manager, good).status == "done"
    rows = [_row(1_000 + i, **BAD[i % len(BAD)]) for i in range(40)]
    mine, reference = _errors_both_ways(vendor_a, manager, rows, monkeypatch)
    assert mine == reference and mine[0] == "failed"
    assert TeamMember.objects.filter(title="Engineer").count() == 40  # nothing changed


def test_written_people_and_their_entries_equal_auditlogs_diff(manager: Any, vendor_a: Any) -> None:
    rows = [_row(i, left_date="2024-02-29" if i % 3 == 0 else "", title="" if i % 4 else "Lead") for i in range(30)]
    job = _run(vendor_a, manager, rows)
    assert job.status == "done" and job.created_count == 30
    people = list(TeamMember.objects.filter(vendor=vendor_a))
    assert len({p.created_at for p in people}) == 1  # one moment of creation for the import
    names = [f.name for f in TeamMember._meta.concrete_fields if not f.primary_key]
    for person in people:
        entry = LogEntry.objects.get_for_object(person).get()
        expected = model_instance_diff(None, person, fields_to_check=names)
        assert entry.changes_dict == {k: list(v) for k, v in expected.items()}
        assert entry.actor == manager and entry.object_repr == person.full_name
