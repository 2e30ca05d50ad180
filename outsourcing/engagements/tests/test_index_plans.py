"""The engagement list and the vendor and engagement pickers walk an index in their order instead of sorting the
whole portfolio on every request (SQLite's plans of the statements the pages send)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from outsourcing.engagements.models import Engagement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans"),
]
D = datetime.date


def test_the_engagement_list_and_its_vendor_picker_read_in_index_order(
    client: Any, manager: Any, vendor_a: Any, query_plans: Any
) -> None:
    Engagement.objects.bulk_create(  # more than a page
        Engagement(code=f"E{n:02d}", title=f"Work {n:02d}", form="service", vendor=vendor_a, start_date=D(2024, 1, n))
        for n in range(1, 31)
    )
    client.force_login(manager)
    plans = query_plans(lambda: client.get("/engagements/"))
    assert any("engagement_newest" in plan and "TEMP B-TREE" not in plan for _sql, plan in plans), plans
    assert any("vendor_by_name" in plan and "TEMP B-TREE" not in plan for _sql, plan in plans), plans


def test_the_comparisons_engagement_picker_reads_in_index_order(client: Any, manager: Any, query_plans: Any) -> None:
    client.force_login(manager)
    plans = query_plans(lambda: client.get("/assessments/compare/"))
    assert any("engagement_by_title" in plan and "TEMP B-TREE" not in plan for _sql, plan in plans), plans
