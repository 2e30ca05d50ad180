"""The teams overview at portfolio scale: paged tables whose figures are counted for the shown rows only."""

from __future__ import annotations

import datetime

from django.urls import reverse

from outsourcing.engagements.models import Engagement
from outsourcing.teams.models import TeamAssignment, TeamMember
from outsourcing.vendors.models import Vendor
from outsourcing.vendors.registration import unified_social_credit_code as uscc

D = datetime.date


def _vendors(n: int) -> list[Vendor]:
    return Vendor.objects.bulk_create(
        Vendor(name=f"Vendor {i:03d}", registration_number=uscc(f"91110000MA{i:07d}"), country="CN") for i in range(n)
    )


def test_overview_pages_vendors_and_engagements_with_a_flat_query_count(web, manager, django_assert_max_num_queries):
    vendors = _vendors(120)
    Engagement.objects.bulk_create(
        Engagement(code=f"E{i:03d}", title="x", form="service", vendor=vendors[i % 5], start_date=D(2024, 1, 1))
        for i in range(120)
    )
    client = web(manager)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("teams:list")).content.decode()
    assert "Vendor 049" in page and "Vendor 050" not in page
    assert "E049" in page and "E050" not in page
    assert "Page 1 of 3" in page
    with django_assert_max_num_queries(10):
        second = client.get(reverse("teams:list"), {"page": 3, "epage": 2}).content.decode()
    assert "Vendor 100" in second and "Vendor 049" not in second
    assert "E050" in second and "E100" not in second


def test_overview_counts_headcount_and_team_for_the_rows_shown(web, manager):
    vendor, other = _vendors(2)
    today = datetime.date.today()
    people = TeamMember.objects.bulk_create(
        [
            TeamMember(vendor=vendor, full_name="Now", employment_type="regular", hire_date=D(2020, 1, 1)),
            TeamMember(
                vendor=vendor, full_name="Gone", employment_type="regular", hire_date=D(2020, 1, 1), left_date=today
            ),
            TeamMember(vendor=vendor, full_name="Later", employment_type="regular", hire_date=D(2099, 1, 1)),
        ]
    )
    engagement = Engagement.objects.create(
        code="E1", title="x", form="service", vendor=vendor, start_date=D(2024, 1, 1)
    )
    TeamAssignment.objects.create(engagement=engagement, member=people[0], role="Dev", start_date=D(2024, 1, 1))
    TeamAssignment.objects.create(
        engagement=engagement,
        member=people[1],
        role="Dev",
        start_date=D(2024, 1, 1),
        end_date=D(2024, 6, 1),
        leave_reason="resigned",
        acknowledged=False,
    )
    client = web(manager)
    response = client.get(reverse("teams:list"))
    rows = {v.pk: v.headcount for v in response.context["vendors"]}
    assert rows == {vendor.pk: 1, other.pk: 0}  # left today or not yet hired: not employed today
    (shown,) = response.context["engagements"]
    assert (shown.team_size, shown.unacknowledged, shown.pending) == (1, 1, 0)
    pending = client.get(reverse("teams:list"), {"pending": "1"}).context["engagements"]
    assert [e.pk for e in pending] == [engagement.pk]
