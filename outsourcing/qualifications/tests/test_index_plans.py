"""The chosen vendors' counting certificates are sought by vendor, not by scanning every verified certificate of the
portfolio (SQLite chose the (status, valid until) index without statistics; Django never runs ANALYZE)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from outsourcing.qualifications.services import best_levels

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans"),
]


def test_best_levels_seek_the_chosen_vendors(query_plans: Any) -> None:
    ((_sql, plan),) = query_plans(lambda: best_levels([1, 2, 3], [4, 5], datetime.date(2026, 1, 1)))
    assert "USING INDEX qualification_counting (vendor_id=? AND type_id=? AND verification_status=?" in plan, plan
