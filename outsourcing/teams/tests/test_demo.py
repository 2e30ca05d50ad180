"""The demo data set gives believable rosters, teams and one pending key-person replacement."""

import pytest
from django.core.management import call_command

from outsourcing.teams.models import Replacement, TeamAssignment, TeamMember

pytestmark = pytest.mark.django_db


def test_demo_builds_rosters_teams_and_a_pending_replacement():
    call_command("demo")
    assert TeamMember.objects.filter(vendor__registration_number="91110108MA01HX0002").count() >= 10
    pending = Replacement.objects.get(status="pending")
    assert pending.key_person and pending.engagement.code == "OM-2026-001"
    assert TeamAssignment.objects.filter(engagement__code="CO-2026-003", side="owner").exists()
    assert TeamAssignment.objects.filter(engagement__code="DEV-2026-002").count() == 4
    assert TeamAssignment.objects.filter(engagement__code="OM-2026-001", acknowledged=False).count() == 1
