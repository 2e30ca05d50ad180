"""Bulk writes' audit entries (core.audit.prepare_bulk_audit) hold exactly what auditlog's own diff gives one
save at a time — for a created record and for a changed one, with dates, decimals, date-times, keys and
empty values — although they are worked out with a plan made once per model."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.diff import model_instance_diff

from outsourcing.core.audit import _DiffPlan, prepare_bulk_audit
from outsourcing.engagements.models_sla import Measurement
from outsourcing.teams.models import TeamMember

D = datetime.date
pytestmark = pytest.mark.django_db


def _created(obj: Any) -> Any:
    names = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
    return model_instance_diff(None, obj, fields_to_check=names)


def test_a_created_persons_entry_equals_auditlogs(vendor_a: Any) -> None:
    people = [
        TeamMember(
            vendor=vendor_a, full_name="王伟", employee_number="E1", employment_type="regular", hire_date=D(2020, 1, 1)
        ),
        TeamMember(
            vendor=vendor_a,
            full_name='Ann "A" <Lee>',
            employee_number="",
            employment_type="contractor",
            title="QA",
            hire_date=D(2021, 5, 31),
            probation_end_date=D(2021, 8, 31),
            left_date=D(2024, 2, 29),
            prior_experience_months=7,
        ),
    ]
    plan = _DiffPlan(TeamMember, True, False)
    for person in people:
        assert plan.diff(None, person) == _created(person)


def test_a_changed_persons_entry_equals_auditlogs(vendor_a: Any, vendor_b: Any) -> None:
    before = TeamMember.objects.create(
        vendor=vendor_a, full_name="Li Na", employee_number="E2", employment_type="regular", hire_date=D(2020, 1, 1)
    )
    plan = _DiffPlan(TeamMember, False, False)
    after = copy.copy(before)
    assert plan.diff(before, after) is None is model_instance_diff(before, after)
    after.left_date, after.title, after.vendor = D(2025, 1, 31), "Lead", vendor_b
    assert plan.diff(before, after) == model_instance_diff(before, after)


def test_a_measurements_entry_equals_auditlogs(manager: Any) -> None:
    from outsourcing.engagements.models import Engagement
    from outsourcing.engagements.models_sla import SlaMetric

    engagement = Engagement.objects.create(title="E", form="service", start_date=D(2025, 1, 1))
    metric = SlaMetric.objects.create(engagement=engagement, name="Up", unit="%", target=Decimal("99.5"))
    measurement = Measurement(metric=metric, period_start=D(2025, 3, 1), value=Decimal("98.1234"))
    measurement.recorded_at = datetime.datetime(2025, 4, 2, 8, 30, tzinfo=datetime.UTC)
    measurement.derive()
    assert _DiffPlan(Measurement, True, False).diff(None, measurement) == _created(measurement)


def test_prepared_rows_carry_the_record_the_actor_and_the_changes(vendor_a: Any, manager: Any) -> None:
    person = TeamMember(
        vendor=vendor_a, full_name="Zhao", employee_number="E3", employment_type="regular", hire_date=D(2020, 1, 1)
    )
    audit = prepare_bulk_audit([person], [], manager)
    assert audit.created == 1 and len(audit.write.rows) == 1
    person.save()
    assert audit.execute([person.pk]) == 1
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_model(TeamMember).get(object_pk=str(person.pk), actor=manager)
    assert entry.object_id == person.pk and entry.object_repr == "Zhao" and entry.action == LogEntry.Action.CREATE
    assert list(entry.changes["full_name"]) == ["None", "Zhao"]
