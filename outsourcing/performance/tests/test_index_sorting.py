"""The reports page sorts its tables on the server: schedules, the review queue, appraisals and standings, each
with its own parameters and whitelisted keys; ties keep a stable order."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from outsourcing.engagements.models import Engagement
from outsourcing.performance.models import Appraisal, ImplementationReport
from outsourcing.vendors.models import Vendor
from outsourcing.vendors.registration import unified_social_credit_code as uscc

pytestmark = pytest.mark.django_db
D = datetime.date


def _vendors(*names):
    return Vendor.objects.bulk_create(
        Vendor(name=n, registration_number=uscc(f"91110000MA{i:07d}"), country="CN") for i, n in enumerate(names)
    )


def _appraise(vendor, total, standing, end):
    return Appraisal.objects.create(
        vendor=vendor,
        period_start=end - datetime.timedelta(days=30),
        period_end=end,
        total=Decimal(total),
        standing=standing,
        explanation={},
    )


def test_standings_sort_by_score_name_standing_and_count(web, manager):
    today = datetime.date.today()
    a, b, c = _vendors("Acme", "Bolt", "Core")
    _appraise(a, 95, "excellent", today)
    _appraise(b, 55, "probation", today)
    _appraise(c, 80, "good", today)
    _appraise(c, 80, "good", today - datetime.timedelta(days=40))
    client = web(manager)

    def order(**params):
        html = client.get(reverse("performance:index"), params).content.decode()
        section = html[html.index('<section id="standings"') :]
        return re.findall(r'href="/reports/vendors/\d+/">(\w+)</a>', section)

    assert order() == ["Bolt", "Core", "Acme"]  # lowest score first: who needs attention
    assert order(ssort="-score") == ["Acme", "Core", "Bolt"]
    assert order(ssort="vendor") == ["Acme", "Bolt", "Core"]
    assert order(ssort="-n") == ["Core", "Acme", "Bolt"]  # equal counts keep the name order
    assert order(ssort="standing") == ["Acme", "Core", "Bolt"]
    assert order(ssort="nonsense") == ["Bolt", "Core", "Acme"]
    html = client.get(reverse("performance:index"), {"ssort": "-score"}).content.decode()
    assert 'aria-sort="descending"><a href="?ssort=score#standings">Long-term score' in html


def test_the_review_queue_and_the_appraisals_sort(web, manager):
    (vendor,) = _vendors("Acme")
    late = Engagement.objects.create(code="B-2", title="x", form="service", vendor=vendor, start_date=D(2024, 1, 1))
    early = Engagement.objects.create(code="A-1", title="y", form="service", vendor=vendor, start_date=D(2024, 1, 1))
    for engagement, due in ((late, D(2024, 3, 10)), (early, D(2024, 2, 10))):
        ImplementationReport.objects.create(
            engagement=engagement,
            period_start=D(2024, 1, 1),
            period_end=D(2024, 1, 31),
            due_date=due,
            project_management="x",
            appraisal_execution="y",
        )
    client = web(manager)
    html = client.get(reverse("performance:index"), {"wsort": "-engagement"}).content.decode()
    queue = html[html.index("Reports awaiting review") :]
    assert queue.index("B-2") < queue.index("A-1")
    html = client.get(reverse("performance:index")).content.decode()
    queue = html[html.index("Reports awaiting review") :]
    assert queue.index("A-1") < queue.index("B-2")  # by due date


def test_a_vendors_appraisals_sort_by_total_and_period(web, manager):
    (vendor,) = _vendors("Acme")
    _appraise(vendor, 70, "watch", D(2026, 1, 31))
    _appraise(vendor, 90, "excellent", D(2026, 2, 28))
    _appraise(vendor, 50, "probation", D(2026, 3, 31))
    client = web(manager)

    def totals(**params):
        html = client.get(reverse("performance:vendor", args=[vendor.pk]), params).content.decode()
        return re.findall(r"<strong>(\d+)\.00</strong>", html)

    assert totals() == ["50", "90", "70"]  # latest period first
    assert totals(sort="total") == ["50", "70", "90"]
    assert totals(sort="-total") == ["90", "70", "50"]
    assert totals(sort="period") == ["70", "90", "50"]
