"""The demo data set holds believable certificates in every derived status, and requirements with a gap."""

import pytest
from django.core.management import call_command

from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.models import Qualification
from outsourcing.qualifications.services import qualification_gaps

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_status_and_a_gap(capsys):
    call_command("demo")
    statuses = {q.status for q in Qualification.objects.all()}
    assert {"valid", "expiring", "expired", "unverified", "rejected"} <= statuses
    assert Qualification.objects.filter(supersedes__isnull=False).exists()
    assert all(
        q.documents.exists() for q in Qualification.objects.filter(supersedes__isnull=True, superseded_by__isnull=True)
    )
    development = Engagement.objects.get(qualification_requirements__type__code="cmmi")
    assert qualification_gaps(development) == (["cmmi", "iso9001"], ["iso27001"])  # ISO/IEC 27001 is pending
    with_requirements = Engagement.objects.filter(qualification_requirements__isnull=False).distinct()
    assert any(not qualification_gaps(e)[1] for e in with_requirements)
