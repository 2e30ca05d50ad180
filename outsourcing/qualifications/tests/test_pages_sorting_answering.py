"""The engagement requirements overview sorts on the server by whitelisted keys."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from outsourcing.core.access import SYSTEM
from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.actions import do_add_requirement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def test_requirements_overview_sorts_by_code_and_by_count(web, manager, vendor_a):
    Engagement.objects.create(
        code="A-1", title="x", form="service", vendor=vendor_a, start_date=datetime.date(2026, 1, 1)
    )
    two = Engagement.objects.create(
        code="B-2", title="y", form="service", vendor=vendor_a, start_date=datetime.date(2026, 1, 1)
    )
    do_add_requirement(two, acting_user=SYSTEM, type_code="iso9001")
    do_add_requirement(two, acting_user=SYSTEM, type_code="iso27001")
    client = web(manager)
    url = reverse("qualifications:engagements")

    page = client.get(url).content.decode()
    assert page.index("A-1") < page.index("B-2")
    assert 'aria-sort="ascending"' in page
    desc = client.get(url, {"sort": "-requirements"}).content.decode()
    assert desc.index("B-2") < desc.index("A-1")
    asc = client.get(url, {"sort": "requirements"}).content.decode()
    assert asc.index("A-1") < asc.index("B-2")
    assert client.get(url, {"sort": "secret"}).status_code == 200
