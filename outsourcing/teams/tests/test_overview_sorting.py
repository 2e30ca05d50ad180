"""The teams overview sorts both tables on the server by whitelisted keys, each with its own address parameters,
in a stable order; an unknown key falls back to the default; the header cell carries aria-sort."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from outsourcing.engagements.models import Engagement
from outsourcing.teams.models import TeamAssignment, TeamMember
from outsourcing.vendors.models import Vendor
from outsourcing.vendors.registration import unified_social_credit_code as uscc

D = datetime.date


def _rows(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html.split("Engagement teams")[0])  # the rosters table only


def test_vendors_sort_by_name_and_by_headcount_and_teams_by_size(web, manager, django_assert_max_num_queries):
    vendors = Vendor.objects.bulk_create(
        Vendor(name=name, registration_number=uscc(f"91110000MA{i:07d}"), country="CN")
        for i, name in enumerate(["Beta", "Alpha", "Gamma"])
    )
    beta, _alpha, gamma = vendors
    people = TeamMember.objects.bulk_create(
        [
            TeamMember(vendor=gamma, full_name=f"G{i}", employment_type="regular", hire_date=D(2020, 1, 1))
            for i in range(3)
        ]
        + [TeamMember(vendor=beta, full_name="B0", employment_type="regular", hire_date=D(2020, 1, 1))]
    )
    small = Engagement.objects.create(code="E2", title="x", form="service", vendor=beta, start_date=D(2024, 1, 1))
    big = Engagement.objects.create(code="E1", title="x", form="service", vendor=gamma, start_date=D(2024, 1, 1))
    for person in people[:3]:
        TeamAssignment.objects.create(engagement=big, member=person, role="Dev", start_date=D(2024, 1, 1))
    client = web(manager)
    page = client.get(reverse("teams:list")).content.decode()
    assert _rows(page, r"<td>(Alpha|Beta|Gamma)</td>") == ["Alpha", "Beta", "Gamma"]
    assert 'aria-sort="ascending"><a href="?sort=-vendor">Vendor' in page
    with django_assert_max_num_queries(10):
        page = client.get(reverse("teams:list"), {"sort": "-headcount"}).content.decode()
    assert _rows(page, r"<td>(Alpha|Beta|Gamma)</td>") == ["Gamma", "Beta", "Alpha"]
    page = client.get(reverse("teams:list"), {"sort": "headcount"}).content.decode()
    assert _rows(page, r"<td>(Alpha|Beta|Gamma)</td>") == ["Alpha", "Beta", "Gamma"]
    page = client.get(reverse("teams:list"), {"esort": "size"}).content.decode()
    assert page.index(f'/teams/engagements/{small.pk}/team"') < page.index(f'/teams/engagements/{big.pk}/team"')
    page = client.get(reverse("teams:list"), {"esort": "-size", "sort": "-vendor"}).content.decode()
    assert page.index(f'/teams/engagements/{big.pk}/team"') < page.index(f'/teams/engagements/{small.pk}/team"')
    assert _rows(page, r"<td>(Alpha|Beta|Gamma)</td>") == ["Gamma", "Beta", "Alpha"]
    # A key not on the whitelist is the default order, never an error.
    page = client.get(reverse("teams:list"), {"sort": "password", "esort": "vendor__users"})
    assert page.status_code == 200
    assert _rows(page.content.decode(), r"<td>(Alpha|Beta|Gamma)</td>") == ["Alpha", "Beta", "Gamma"]
