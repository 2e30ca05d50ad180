"""The reports page reads indexes, not the tables of every report and appraisal ever written (SQLite's plans of the
very statements the page sends, with their bound parameters; the planner decides the same on an empty table as
on a full one, for Django never runs ANALYZE)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from outsourcing.performance.models import ImplementationReport

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans"),
]


def test_the_reports_page_reads_indexes_of_reports_and_appraisals(
    client: Any, manager: Any, vendor_a: Any, query_plans: Any
) -> None:
    from outsourcing.performance.tests.test_reports_page_paging import _appraised, _schedules

    _appraised(2)
    schedule = _schedules(vendor_a, 1)[0]
    ImplementationReport.objects.bulk_create(  # more than a page: the page asks for 50 rows
        ImplementationReport(
            engagement=schedule.engagement,
            period_start=datetime.date(2020 + n // 12, n % 12 + 1, 1),
            period_end=datetime.date(2020 + n // 12, n % 12 + 1, 28),
            due_date=datetime.date(2020 + n // 12, n % 12 + 1, 28),
            status="submitted" if n % 3 else "accepted",
            project_management="Planned and staffed.",
            appraisal_execution="Appraised monthly.",
        )
        for n in range(90)
    )
    client.force_login(manager)
    plans = query_plans(lambda: client.get("/reports/"))
    touching = [
        (sql, plan)
        for sql, plan in plans
        if "performance_implementationreport" in plan or "performance_appraisal" in plan
    ]
    assert len(touching) >= 4
    for sql, plan in touching:
        for table in ("performance_implementationreport", "performance_appraisal"):
            assert f"SCAN {table}" not in plan.replace(f"SCAN {table} USING", ""), (sql[-400:], plan)
    assert any("report_due_status" in plan for _sql, plan in touching)
    assert any("appraisal_year_totals" in plan for _sql, plan in touching)
    assert any("appraisal_newest" in plan for _sql, plan in touching)
