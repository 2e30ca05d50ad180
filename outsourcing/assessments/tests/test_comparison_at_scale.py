"""Comparing many candidates at once: the blockers of all of them are found set-based (a flat number of
queries whatever the number of vendors), with the same verdicts as asking vendor by vendor."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from outsourcing.assessments.comparison import compare
from outsourcing.engagements.models import Engagement
from outsourcing.performance.models import Appraisal
from outsourcing.qualifications.models import Qualification, QualificationRequirement, QualificationType
from outsourcing.vendors.models import Vendor
from outsourcing.vendors.registration import unified_social_credit_code as uscc

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _vendors(n: int, start: int = 0) -> list[Vendor]:
    return Vendor.objects.bulk_create(
        Vendor(
            name=f"Candidate {i:03d}", registration_number=uscc(f"91310000MA{i:07d}"), country="CN", status="approved"
        )
        for i in range(start, start + n)
    )


@pytest.fixture
def engagement(vendor_a: Vendor) -> Engagement:
    engagement = Engagement.objects.create(
        code="SEL-1", title="Help desk", form="service", vendor=vendor_a, start_date=datetime.date(2026, 1, 1)
    )
    QualificationRequirement.objects.create(engagement=engagement, type=QualificationType.objects.get(code="iso9001"))
    return engagement


def _holds_iso9001(vendor: Vendor) -> None:
    Qualification.objects.create(
        vendor=vendor,
        type=QualificationType.objects.get(code="iso9001"),
        number=f"Q-{vendor.pk}",
        issuer="CQC",
        valid_from=TODAY - datetime.timedelta(days=30),
        valid_until=TODAY + datetime.timedelta(days=300),
        verification_status="verified",
    )


def _appraised(vendor: Vendor, total: int, standing: str) -> None:
    Appraisal.objects.create(
        vendor=vendor,
        period_start=TODAY - datetime.timedelta(days=90),
        period_end=TODAY - datetime.timedelta(days=1),
        total=total,
        standing=standing,
    )


def test_blockers_of_many_vendors_agree_with_each_vendors_own(engagement: Engagement) -> None:
    qualified, unqualified, on_probation = _vendors(3)
    _holds_iso9001(qualified)
    _holds_iso9001(on_probation)
    _appraised(on_probation, 45, "probation")
    _appraised(qualified, 92, "excellent")
    vendors = [qualified, unqualified, on_probation]
    everyone = Vendor.objects.filter(pk__in=[v.pk for v in vendors])
    for as_engagement in (engagement, None):
        many = everyone.new_work_blockers(TODAY, as_engagement)
        for vendor in vendors:
            one = Vendor.objects.filter(pk=vendor.pk).new_work_blockers(TODAY, as_engagement)
            assert many.get(vendor.pk, []) == one.get(vendor.pk, []), vendor.name
    many = everyone.new_work_blockers(TODAY, engagement)
    assert qualified.pk not in many
    assert [b.code for b in many[unqualified.pk]] == ["qualification_missing"]
    assert [b.code for b in many[on_probation.pk]] == ["standing_probation"]
    assert set(everyone.open_for_new_work(TODAY, engagement)) == {qualified}
    assert set(everyone.open_for_new_work(TODAY)) == {qualified, unqualified}


def test_comparing_fifty_vendors_costs_no_more_queries_than_three(
    manager: Any, engagement: Engagement, django_assert_max_num_queries: Any
) -> None:
    few = _vendors(3)
    many = _vendors(47, start=3)
    for vendor in many[::2]:
        _holds_iso9001(vendor)
        _appraised(vendor, 50, "probation")
    with django_assert_max_num_queries(30) as small:
        compare(manager, engagement, [v.pk for v in few])
    with django_assert_max_num_queries(len(small.captured_queries)):
        table = compare(manager, engagement, [v.pk for v in few + many])
    flagged = {row.vendor.pk: row.flags for row in table.rows}
    assert len(flagged) == 50
    assert any("probation" in flag.lower() for flag in flagged[many[0].pk])
    assert flagged[many[1].pk] and not any("probation" in flag.lower() for flag in flagged[many[1].pk])
