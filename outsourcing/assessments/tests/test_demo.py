"""The demo data set: completed assessments for vendors a and b, one in review for c with findings."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from outsourcing.assessments.models import Assessment, Finding

pytestmark = pytest.mark.django_db


def test_the_demo_builds_believable_assessments(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    by_vendor = {(a.vendor.registration_number, a.status) for a in Assessment.objects.select_related("vendor")}
    assert ("91110108MA01HX0002", "completed") in by_vendor  # a
    assert ("91530100MA6K2Y0008", "completed") in by_vendor  # b
    assert ("91310115MA1K4D0000", "in_review") in by_vendor  # c
    assert ("91110108MA01HX0002", "sent") in by_vendor  # a's repeat, started from the last answers
    completed = Assessment.objects.filter(status="completed")
    assert all(a.result and a.result["sections"] for a in completed)
    assert Finding.objects.filter(assessment__vendor__registration_number="91310115MA1K4D0000").count() == 2
    repeat = Assessment.objects.get(status="sent")
    assert repeat.based_on is not None
    assert repeat.answers.exclude(value="").exists()
