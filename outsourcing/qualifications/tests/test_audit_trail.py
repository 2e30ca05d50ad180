"""Every change to certificates, requirements and the catalogue is in the audit trail with its author."""

import pytest
from auditlog.models import LogEntry

from outsourcing.qualifications.models import Qualification, QualificationRequirement, QualificationType

from .conftest import verify_via_api

pytestmark = pytest.mark.django_db

VALID = {
    "type_code": "iso27001",
    "number": "00124IS0387R1M",
    "issuer": "CQC",
    "valid_from": "2026-01-01",
    "valid_until": "2028-12-31",
}


def test_recording_verifying_and_editing_are_attributed(api, vendor_a_user, manager):
    body = api(vendor_a_user).post(f"/vendors/{vendor_a_user.vendor_id}/qualifications", VALID).json()
    verify_via_api(api(manager), body["id"])
    api(vendor_a_user).patch(f"/qualifications/{body['id']}", {"number": "00124IS0387R2M"})
    entries = list(LogEntry.objects.get_for_object(Qualification.objects.get()).order_by("timestamp", "pk"))
    assert [(e.action, e.actor.username) for e in entries] == [
        (LogEntry.Action.CREATE, "alice_a"),
        (LogEntry.Action.UPDATE, "manager"),
        (LogEntry.Action.UPDATE, "alice_a"),
    ]
    assert entries[1].changes_dict["verification_status"] == ["pending", "verified"]
    assert entries[2].changes_dict["verification_status"] == ["verified", "pending"]


def test_requirements_and_types_are_audited(api, admin, manager, vendor_a):
    from outsourcing.engagements.models import Engagement

    engagement = Engagement.objects.create(title="O&M", form="service", vendor=vendor_a, start_date="2026-01-01")
    api(manager).post(f"/engagements/{engagement.pk}/requirements", {"type_code": "cmmi", "min_level": 3})
    api(admin).post(
        "/qualification-types",
        {"code": "itss", "name": "ITSS", "has_levels": True, "min_level": 1, "max_level": 4},
    )
    requirement_log = LogEntry.objects.get_for_object(QualificationRequirement.objects.get()).get()
    assert requirement_log.actor == manager
    type_log = LogEntry.objects.get_for_object(QualificationType.objects.get(code="itss")).get()
    assert type_log.actor == admin
