"""`core.bulk.BatchCleaner` is the model's own `full_clean` for the records of a bulk write: for good and bad
values, repeated or not, it gives the same errors by field and the same cleaned values as `full_clean` record
by record, although it works out each field's verdict on a value once. `copy_record` copies as copy.copy."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from outsourcing.core.bulk import BatchCleaner, copy_record
from outsourcing.engagements.models_sla import Measurement
from outsourcing.teams.models import TeamMember

D = datetime.date
MOMENT = datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "王伟",
    "employee_number": "E1",
    "employment_type": "regular",
    "title": "",
    "hire_date": D(2020, 1, 1),
    "probation_end_date": None,
    "left_date": None,
    "prior_experience_months": 0,
}
# Each a change to GOOD: field errors, the model's own clean(), both at once, and values of odd types.
CHANGES: list[dict[str, Any]] = [
    {},
    {"full_name": "  "},
    {"full_name": ""},
    {"full_name": "x" * 201},
    {"employee_number": "y" * 65, "title": "t" * 201},
    {"employment_type": "freelancer"},
    {"employment_type": ""},
    {"prior_experience_months": 601},
    {"prior_experience_months": -1},
    {"prior_experience_months": "12"},
    {"prior_experience_months": "twelve"},
    {"prior_experience_months": 12.5},
    {"prior_experience_months": True},
    {"hire_date": None},
    {"hire_date": "2021-02-30"},
    {"hire_date": "2021-03-01"},
    {"probation_end_date": D(2019, 12, 31)},
    {"left_date": D(2020, 1, 1), "probation_end_date": D(2019, 1, 1)},
    {"hire_date": "soon", "full_name": ""},
    {"employment_type": "freelancer", "prior_experience_months": 601, "left_date": D(2019, 1, 1)},
    {"identity_number": "12"},
    {"identity_number": "11010519491231002X"},
]


def _outcome(check: Any, obj: Any) -> tuple[dict[str, list[str]], dict[str, Any]]:
    try:
        check(obj)
        errors: dict[str, list[str]] = {}
    except ValidationError as exc:
        errors = exc.message_dict
    return errors, {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


def _person(vendor: Any, changes: dict[str, Any]) -> TeamMember:
    person = TeamMember(vendor=vendor, created_at=MOMENT)
    for name, value in {**GOOD, **changes}.items():
        setattr(person, name, value)
    return person


def test_errors_and_cleaned_values_equal_full_clean_for_every_row(vendor_a: Any) -> None:
    cleaner = BatchCleaner(TeamMember, exclude=["vendor"])
    for _round in range(2):  # the second round answers from what the first worked out
        for changes in CHANGES:
            mine = _outcome(cleaner.full_clean, _person(vendor_a, changes))
            django = _outcome(
                lambda p: p.full_clean(exclude=["vendor"], validate_unique=False, validate_constraints=False),
                _person(vendor_a, changes),
            )
            assert mine == django, changes


def test_a_remembered_bad_value_is_named_on_every_row_that_holds_it(vendor_a: Any) -> None:
    cleaner = BatchCleaner(TeamMember, exclude=["vendor"])
    for _n in range(3):
        with pytest.raises(ValidationError) as caught:
            cleaner.full_clean(_person(vendor_a, {"employment_type": "freelancer"}))
        assert list(caught.value.message_dict) == ["employment_type"]


def test_an_update_of_a_stored_person_equals_full_clean(vendor_a: Any) -> None:
    stored = TeamMember.objects.create(vendor=vendor_a, **GOOD)
    cleaner = BatchCleaner(TeamMember, exclude=["vendor"])
    for changes in CHANGES:
        mine, theirs = copy_record(stored), copy.copy(stored)
        for name, value in changes.items():
            setattr(mine, name, value)
            setattr(theirs, name, value)
        assert _outcome(cleaner.full_clean, mine) == _outcome(
            lambda p: p.full_clean(exclude=["vendor"], validate_unique=False, validate_constraints=False), theirs
        )


def test_typing_equals_the_fields_to_python(vendor_a: Any) -> None:
    cleaner = BatchCleaner(TeamMember)
    for name, value in [
        ("hire_date", "2021-03-01"),
        ("hire_date", "2021-02-30"),
        ("hire_date", "soon"),
        ("prior_experience_months", "7"),
        ("prior_experience_months", "7.5"),
        ("full_name", 42),
    ]:
        field = TeamMember._meta.get_field(name)
        for _n in range(2):
            try:
                expected: Any = field.to_python(value)
            except ValidationError as exc:
                expected = exc.messages
            try:
                got: Any = cleaner.to_python(name, value)
            except ValidationError as exc:
                got = exc.messages
            assert got == expected and type(got) is type(expected)


def test_a_measurement_cleans_as_full_clean(manager: Any) -> None:
    from outsourcing.engagements.models import Engagement
    from outsourcing.engagements.models_sla import SlaMetric

    engagement = Engagement.objects.create(title="E", form="service", start_date=D(2025, 1, 1))
    metric = SlaMetric.objects.create(engagement=engagement, name="Up", unit="%", target=Decimal("99.5"))
    cleaner = BatchCleaner(Measurement)  # the metric (a key) is checked record by record, as Django does
    for value in [Decimal("98.1"), Decimal("1e30"), "abc", None]:
        mine = Measurement(metric=metric, period_start=D(2025, 3, 1), value=value)
        theirs = Measurement(metric=metric, period_start=D(2025, 3, 1), value=value)
        theirs.recorded_at = mine.recorded_at
        assert _outcome(cleaner.full_clean, mine) == _outcome(
            lambda m: m.full_clean(validate_unique=False, validate_constraints=False), theirs
        )


def test_copy_record_copies_as_copy_copy(vendor_a: Any) -> None:
    stored = TeamMember.objects.create(vendor=vendor_a, **GOOD)
    assert stored.vendor == vendor_a  # cached on the record
    mine, theirs = copy_record(stored), copy.copy(stored)
    skip = {"_state", "_django_version"}  # the second is what pickling leaves behind on copy.copy's
    assert {k: v for k, v in mine.__dict__.items() if k not in skip} == {
        k: v for k, v in theirs.__dict__.items() if k not in skip
    }
    assert mine._state.__dict__ == theirs._state.__dict__
    assert mine._state is not stored._state and mine._state.fields_cache is not stored._state.fields_cache
    mine.title = "changed"
    mine._state.fields_cache.clear()
    assert stored.title == "" and stored._state.fields_cache
