"""A qualification counts on D only when verified and valid_from ≤ D ≤ valid_until; its status is derived."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from outsourcing.core.access import SYSTEM
from outsourcing.qualifications.actions import do_create_qualification, do_reject_qualification
from outsourcing.qualifications.choices import DerivedStatus
from outsourcing.qualifications.models import Qualification

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("day", "counts"),
    [
        (D(2025, 12, 31), False),  # the day before valid_from
        (D(2026, 1, 1), True),  # valid_from itself
        (D(2026, 6, 30), True),
        (D(2026, 12, 31), True),  # valid_until itself
        (D(2027, 1, 1), False),  # the day after valid_until
    ],
)
def test_a_verified_certificate_counts_from_its_first_to_its_last_day(make_qualification, vendor_a, day, counts):
    q = make_qualification(vendor_a, "iso9001", valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 31))
    assert q.counts_on(day) is counts
    assert Qualification.objects.counting_on(day).filter(pk=q.pk).exists() is counts


def test_an_unverified_certificate_never_counts(make_qualification, vendor_a):
    q = make_qualification(vendor_a, "iso9001", verified=False, valid_from=D(2026, 1, 1))
    assert not q.counts_on(D(2026, 6, 1))
    assert not Qualification.objects.counting_on(D(2026, 6, 1)).exists()


def test_a_rejected_certificate_never_counts(make_qualification, vendor_a):
    q = make_qualification(vendor_a, "iso9001", valid_from=D(2026, 1, 1))
    do_reject_qualification(q, acting_user=SYSTEM, reason="Number not in the CNCA register")
    assert not q.counts_on(D(2026, 6, 1))
    assert not Qualification.objects.counting_on(D(2026, 6, 1)).exists()


def test_a_rejection_needs_a_reason(make_qualification, vendor_a):
    q = make_qualification(vendor_a, "iso9001", verified=False)
    with pytest.raises(ValidationError) as exc:
        do_reject_qualification(q, acting_user=SYSTEM, reason="  ")
    assert "reason" in exc.value.message_dict
    q.refresh_from_db()
    assert q.verification_status == "pending"


@pytest.mark.parametrize(
    ("verified", "valid_from", "valid_until", "status"),
    [
        (True, D(2026, 1, 1), D(2026, 12, 31), "valid"),
        (True, D(2026, 1, 1), D(2026, 7, 1), "valid"),  # 31 days left: not yet "expiring"
        (True, D(2026, 1, 1), D(2026, 6, 30), "expiring"),  # 30 days left
        (True, D(2026, 1, 1), D(2026, 5, 31), "expiring"),  # last day today
        (True, D(2025, 1, 1), D(2026, 5, 30), "expired"),  # ended yesterday
        (True, D(2026, 6, 1), D(2027, 5, 31), "not_yet_valid"),  # starts tomorrow
        (False, D(2026, 1, 1), D(2026, 12, 31), "unverified"),
    ],
)
def test_the_derived_status_in_python_and_in_the_database_agree(
    make_qualification, vendor_a, verified, valid_from, valid_until, status
):
    today = D(2026, 5, 31)
    q = make_qualification(vendor_a, "iso9001", verified=verified, valid_from=valid_from, valid_until=valid_until)
    assert q.status_on(today) == status
    assert Qualification.objects.with_status(today).get(pk=q.pk).derived_status == status
    matching = [s for s in DerivedStatus.values if Qualification.objects.in_status(s, today).filter(pk=q.pk).exists()]
    assert matching == [status]  # the statuses partition the certificates


def test_rejected_status_wins_over_dates(make_qualification, vendor_a):
    q = make_qualification(vendor_a, "iso9001", valid_until=D(2020, 1, 1), valid_from=D(2019, 1, 1))
    do_reject_qualification(q, acting_user=SYSTEM, reason="Forged")
    assert q.status_on(D(2026, 5, 31)) == "rejected"
    assert Qualification.objects.with_status(D(2026, 5, 31)).get(pk=q.pk).derived_status == "rejected"


def _create(vendor, **fields):
    base = {
        "type_code": "cmmi",
        "level": 3,
        "number": "CMMI-0001",
        "issuer": "CMMI Institute",
        "valid_from": D(2026, 1, 1),
        "valid_until": D(2028, 12, 31),
    }
    return do_create_qualification(vendor=vendor, acting_user=SYSTEM, fields={**base, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type_code": "iso9001", "level": 1}, "level"),  # a level on a type without levels
        ({"level": None}, "level"),  # a type with levels needs one
        ({"level": 1}, "level"),  # CMMI runs 2–5
        ({"level": 6}, "level"),
        ({"type_code": "security_service", "level": 4}, "level"),  # 1–3
        ({"type_code": "no_such_type"}, "type_code"),
        ({"valid_until": D(2025, 12, 31)}, "valid_until"),  # ends before it starts
        ({"number": ""}, "number"),
        ({"number": "x" * 101}, "number"),
        ({"issuer": ""}, "issuer"),
        ({"scope": "s" * 2001}, "scope"),
    ],
)
def test_bad_facts_are_refused_naming_the_field_and_nothing_is_written(vendor_a, fields, field):
    with pytest.raises(ValidationError) as exc:
        _create(vendor_a, **fields)
    assert field in exc.value.message_dict
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    ("type_code", "level"),
    [("cmmi", 2), ("cmmi", 5), ("system_integration", 1), ("security_service", 3), ("iso27001", None)],
)
def test_levels_at_the_ends_of_the_range_are_accepted(vendor_a, type_code, level):
    assert _create(vendor_a, type_code=type_code, level=level).level == level


def test_a_certificate_valid_for_a_single_day_is_accepted(vendor_a):
    q = _create(vendor_a, valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 1))
    assert q.valid_until == q.valid_from
