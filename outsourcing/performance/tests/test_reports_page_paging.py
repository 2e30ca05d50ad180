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


def _appraised(count: int, start: int = 0) -> None:
    from decimal import Decimal

    from outsourcing.performance.models import Appraisal
    from outsourcing.vendors.models import Vendor

    today = datetime.date.today()
    vendors = Vendor.objects.bulk_create(
        Vendor(name=f"Appraised {i:03d}", registration_number=f"APP-{i:03d}", country="CN")
        for i in range(start, start + count)
    )
    Appraisal.objects.bulk_create(
        Appraisal(
            vendor=v,
            period_start=today - datetime.timedelta(days=90),
            period_end=today - datetime.timedelta(days=1),
            total=Decimal(30 + (start + i)),  # the higher the number, the better the vendor
            standing="good",
        )
        for i, v in enumerate(vendors)
    )


def test_standings_are_paged_worst_first_with_a_flat_query_count(
    web: Any, manager: Any, django_assert_max_num_queries: Any
) -> None:
    client = web(manager)
    _appraised(3)
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse("performance:index")).status_code == 200
    _appraised(57, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("performance:index"))
    rows = list(response.context["standings"].page)
    assert len(rows) == 50 and rows[0]["name"] == "Appraised 000" and rows[0]["standing"] == "blocked"
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)
    second = list(client.get(reverse("performance:index"), {"spage": 2}).context["standings"].page)
    assert [r["name"] for r in second] == [f"Appraised {i:03d}" for i in range(50, 60)]
    assert second[-1]["score"] == 89 and second[-1]["standing"] == "good"  # 89 < 90 (excellent)


def test_standings_sort_in_sql_by_any_column_both_ways(web: Any, manager: Any) -> None:
    client = web(manager)
    _appraised(60)

    def names(sort: str, page: int = 1) -> list[str]:
        response = client.get(reverse("performance:index"), {"ssort": sort, "spage": page})
        return [row["name"] for row in response.context["standings"].page]

    best_first = [f"Appraised {i:03d}" for i in range(59, -1, -1)]
    assert names("-score") + names("-score", 2) == best_first
    assert names("standing") == best_first[:50]  # the standing follows the score, best first
    assert names("-standing", 2) == names("score", 2)
    assert names("vendor")[:2] == ["Appraised 000", "Appraised 001"]
    assert names("-vendor")[0] == "Appraised 059"
    assert names("nonsense") == names("score")  # an unknown key falls back to worst first
