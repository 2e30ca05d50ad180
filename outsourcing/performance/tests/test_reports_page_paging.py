"""The reports page pages its reporting schedules and counts missing reports for the shown ones only, so it
costs the same queries with 3 schedules as with 3,000."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from outsourcing.engagements.models import Engagement
from outsourcing.performance.models import ReportSchedule


def _schedules(vendor: Any, count: int, start: int = 0) -> list[ReportSchedule]:
    engagements = Engagement.objects.bulk_create(
        Engagement(
            code=f"R{i:03d}", title=f"Work {i:03d}", form="service", vendor=vendor, start_date=datetime.date(2024, 1, 1)
        )
        for i in range(start, start + count)
    )
    return ReportSchedule.objects.bulk_create(
        ReportSchedule(engagement=e, first_period_start=datetime.date(2024, 1, 1), due_days=10) for e in engagements
    )


def test_reports_page_pages_schedules_with_a_flat_query_count(
    web: Any, manager: Any, vendor_a: Any, django_assert_max_num_queries: Any
) -> None:
    client = web(manager)
    _schedules(vendor_a, 3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("performance:index")).status_code == 200
    _schedules(vendor_a, 57, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("performance:index")).content.decode()
    assert "Work 049" in page and "Work 050" not in page
    second = client.get(reverse("performance:index"), {"page": 2})
    rows = second.context["schedules"]
    assert [r["schedule"].engagement.title for r in rows][:1] == ["Work 050"] and len(rows) == 10
    assert all(r["missing"] > 0 for r in rows)  # monthly since January 2024 and nothing submitted
