"""Floors: what the database itself needs for a benchmark row's result.

Each floor produces the SAME result as the operation it stands beside — the same rows, the same figures —
with ONE hand-written SQL statement (for an import: a plain `executemany` of the same rows) on the same
database in the same run. The ratio operation ÷ floor says how much the application adds on top of the
database. A floor is never a cheaper question: where the page shows a count and a page of rows, the floor
returns both; where the operation computes Kaplan–Meier retention, so does the floor's SQL.

`check_*` functions compare a floor's result with the application's, so that the quick benchmark in CI proves
the floors honest (outsourcing/benchmark/tests).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.db import connection, transaction

from outsourcing.teams.models import TeamMember
from outsourcing.teams.stability import RETENTION_DAYS
from outsourcing.vendors.models import Vendor

PER_PAGE = 25


@dataclass(frozen=True)
class Floor:
    run: Callable[[], Any]
    target: float | None = None  # the ratio operation ÷ floor aimed for (None: no target)


def _sql(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _contains(column: str) -> str:
    """A case-insensitive "contains" as one would write it by hand (LIKE is case-insensitive in SQLite)."""
    if connection.vendor == "postgresql":
        return f"{column} ILIKE %s"
    return f"{column} LIKE %s ESCAPE '\\'"


VENDOR = Vendor._meta.db_table
MEMBER = TeamMember._meta.db_table


def vendor_page(offset: int = 0, *, status: str = "", q: str = "", newest_first: bool = False) -> list[tuple[Any, ...]]:
    """The vendor list's page (the columns it shows) and, on every row, how many match (the pager's count)."""
    where, params = ["1 = 1"], []
    if status:
        where.append("status = %s")
        params.append(status)
    if q:
        where.append(f"({_contains('name')} OR {_contains('english_name')} OR {_contains('registration_number')})")
        params += [f"%{q}%"] * 3
    order = "created_at DESC, id" if newest_first else "name, id"
    return _sql(
        f"SELECT id, name, english_name, registration_number, country, status, created_at, COUNT(*) OVER () "  # noqa: S608
        f"FROM {VENDOR} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT {PER_PAGE} OFFSET {int(offset)}",
        params,
    )


def vendor_api_page(limit: int = 100) -> list[tuple[Any, ...]]:
    """GET /vendors?limit=100: the fields of VendorOut for the first `limit` vendors by name, and the count."""
    return _sql(
        "SELECT id, name, english_name, registration_number, country, address, website, status, risk_tier, notes, "  # noqa: S608
        f"COUNT(*) OVER () FROM {VENDOR} ORDER BY name, id LIMIT {int(limit)}"
    )


def vendor_export() -> list[tuple[Any, ...]]:
    """The vendor CSV export's cells: every vendor, by name."""
    return _sql(
        "SELECT name, english_name, registration_number, country, status, address, website, created_at "  # noqa: S608
        f"FROM {VENDOR} ORDER BY name, id"
    )


def vendor_options(text: str, limit: int = 20) -> list[tuple[Any, ...]]:
    """A vendor picker's matches (GET /search/options): name, English name or registration number."""
    return _sql(
        f"SELECT id, name, status FROM {VENDOR} WHERE {_contains('name')} OR {_contains('english_name')} "  # noqa: S608
        f"OR {_contains('registration_number')} ORDER BY name, id LIMIT {int(limit)}",
        [f"%{text}%", f"%{text}%", f"{text}%"],
    )


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def stability(start: datetime.date, end: datetime.date) -> list[tuple[Any, ...]]:
    """`teams.stability.stability_for_vendors` for every vendor with people, in one statement: headcount at
    the start and the end, separations, average tenure of those employed at the end, and the Kaplan–Meier
    retention at 90/180/365/730 days (the product over event times of 1 − deaths ÷ at risk, as a sum of
    logarithms; a time at which everyone at risk left makes it 0)."""
    bounds = "CAST(%s AS DATE) AS s, CAST(%s AS DATE) AS e" if connection.vendor == "postgresql" else "%s AS s, %s AS e"
    survival = [
        f"CASE WHEN SUM(CASE WHEN dur <= {days} AND deaths = at_risk THEN 1 ELSE 0 END) > 0 THEN 0.0 "
        f"ELSE EXP(SUM(CASE WHEN dur <= {days} AND deaths > 0 AND deaths < at_risk "
        f"THEN LN(1.0 - deaths * 1.0 / at_risk) "
        f"ELSE 0.0 END)) END AS s{k}"
        for k, days in enumerate(RETENTION_DAYS)
    ]
    statement = f"""
        WITH b AS (SELECT {bounds}),
        p AS (
            SELECT m.vendor_id AS v, m.hire_date AS h, m.left_date AS l, b.s AS s, b.e AS e
            FROM {MEMBER} m CROSS JOIN b WHERE m.hire_date <= b.e
        ),
        d AS (
            SELECT v,
                   CASE WHEN l IS NOT NULL AND l <= e THEN {_days("l", "h")} ELSE {_days("e", "h")} END AS dur,
                   CASE WHEN l IS NOT NULL AND l <= e THEN 1 ELSE 0 END AS event
            FROM p
        ),
        t AS (SELECT v, dur, SUM(event) AS deaths, COUNT(*) AS n FROM d GROUP BY v, dur),
        r AS (
            SELECT v, dur, deaths,
                   SUM(n) OVER (PARTITION BY v ORDER BY dur DESC ROWS UNBOUNDED PRECEDING) AS at_risk
            FROM t
        ),
        km AS (SELECT v, {", ".join(survival)} FROM r GROUP BY v),
        f AS (
            SELECT v,
                   SUM(CASE WHEN h <= s AND (l IS NULL OR l > s) THEN 1 ELSE 0 END) AS hs,
                   SUM(CASE WHEN l IS NULL OR l > e THEN 1 ELSE 0 END) AS he,
                   SUM(CASE WHEN l >= s AND l <= e THEN 1 ELSE 0 END) AS sep,
                   AVG(CASE WHEN l IS NULL OR l > e THEN {_days("e", "h")} END) AS tenure
            FROM p GROUP BY v
        )
        SELECT f.v, f.hs, f.he, f.sep, f.tenure, {", ".join(f"km.s{k}" for k in range(len(RETENTION_DAYS)))}
        FROM f JOIN km ON km.v = f.v ORDER BY f.v
    """  # noqa: S608 - only table names and fixed SQL are formatted in; the dates are parameters
    return _sql(statement, [start, end])


def check_stability(rows: list[tuple[Any, ...]], figures: dict[int, Any]) -> list[str]:
    """Differences between the floor's figures and the application's (empty: the same result)."""
    problems = []
    for v, hs, he, sep, tenure, *survival in rows:
        mine = figures.get(v)
        if mine is None:
            problems.append(f"vendor {v}: missing from the application's figures")
            continue
        if (int(hs), int(he), int(sep)) != (mine.headcount_start, mine.headcount_end, mine.separations):
            problems.append(f"vendor {v}: counts {(hs, he, sep)} vs {mine}")
        if not _close(None if tenure is None else float(tenure), mine.average_tenure_days):
            problems.append(f"vendor {v}: tenure {tenure} vs {mine.average_tenure_days}")
        for value, point in zip(survival, mine.retention, strict=True):
            if not _close(float(value), point["survival"]):
                problems.append(f"vendor {v}: retention at {point['days']} days {value} vs {point['survival']}")
    return problems


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


# ------------------------------------------------------------------------------------------------ roster import


def roster_import(vendor_id: int, lines: list[dict[str, Any]], actor_id: int, content_type_id: int) -> int:
    """A plain executemany of the people, then of one audit entry each (the values written, as JSON, as the
    import records them), in one transaction: what an import writes, without the application around it."""
    now = datetime.datetime.now(tz=datetime.UTC)
    stamp = connection.ops.adapt_datetimefield_value(now)  # the form the database keeps date-times in
    people = [
        [
            1,
            vendor_id,
            line["full_name"],
            line["employee_number"],
            line["employment_type"],
            line["title"],
            line["hire_date"],
            line["probation_end_date"],
            line["left_date"],
            line["prior_experience_months"],
            "",
            "",
            stamp,
            stamp,
        ]
        for line in lines
    ]
    jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {MEMBER} (version, vendor_id, full_name, employee_number, employment_type, title, "  # noqa: S608
            "hire_date, probation_end_date, left_date, prior_experience_months, identity_hash, identity_last4, "
            "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            people,
        )
        cursor.execute(f"SELECT employee_number, id FROM {MEMBER} WHERE vendor_id = %s", [vendor_id])  # noqa: S608
        ids = dict(cursor.fetchall())
        entries = []
        for row in people:
            changes = {
                "vendor": ["None", str(vendor_id)],
                "full_name": ["None", row[2]],
                "employee_number": ["None", row[3]],
                "employment_type": ["None", row[4]],
                "title": ["None", row[5]],
                "hire_date": ["None", str(row[6])],
                "probation_end_date": ["None", str(row[7])],
                "left_date": ["None", str(row[8])],
                "prior_experience_months": ["0", str(row[9])],
                "created_at": ["None", str(now)],
                "updated_at": ["None", str(now)],
            }
            pk = ids[row[3]]
            entries.append([content_type_id, str(pk), pk, row[2], 0, json.dumps(changes), actor_id, stamp])
        cursor.executemany(
            f"INSERT INTO {LogEntry._meta.db_table} (content_type_id, object_pk, object_id, object_repr, action, "  # noqa: S608
            f"changes, actor_id, timestamp, changes_text) VALUES (%s, %s, %s, %s, %s, %s{jsonb}, %s, %s, '')",
            entries,
        )
    return len(people)
