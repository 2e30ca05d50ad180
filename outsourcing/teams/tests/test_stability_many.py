"""The portfolio's stability, computed for every vendor at once (`compute_many`), equals the one-vendor
`compute` vendor by vendor — headcounts, separations, tenure and every Kaplan–Meier retention point — at the
edges: vendors with nobody, with everyone leaving on one day, hired after the period, asked twice."""

from __future__ import annotations

import datetime
import math
import random

import numpy as np
import pytest

from outsourcing.teams.stability import NEVER, compute, compute_many

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def _people(rng: random.Random, vendors: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = []
    end = END.toordinal()
    for vendor in range(1, vendors + 1):
        for _n in range(rng.choice([0, 1, 2, 5, 40, 300])):
            hire = end - rng.randint(-30, 3000)  # a few hired after the period's end
            left = hire + rng.randint(1, 1500) if rng.random() < 0.4 else NEVER
            rows.append((vendor, hire, left))
    # Vendor 999: everyone leaves on the same day (survival drops to zero).
    rows += [(999, end - 400, end - 100)] * 3
    rows.sort()
    v, h, lft = zip(*rows, strict=True)
    return np.array(v, dtype=np.int64), np.array(h, dtype=np.int64), np.array(lft, dtype=np.int64)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_all_vendors_at_once_equal_each_vendor_alone(seed: int) -> None:
    vendors, hire, left = _people(random.Random(seed), 60)
    asked = [*range(1, 61), 999, 5000, 7, 7]  # 5000 has nobody; 7 asked twice
    many = compute_many(vendors, hire, left, asked, START, END)
    assert set(many) == set(asked)
    for vendor_id in asked:
        mine = vendors == vendor_id
        alone = compute(hire[mine], left[mine], START, END)
        together = many[vendor_id]
        assert (together.headcount_start, together.headcount_end, together.separations) == (
            alone.headcount_start,
            alone.headcount_end,
            alone.separations,
        ), vendor_id
        assert together.average_headcount == alone.average_headcount
        assert _same(together.turnover_rate, alone.turnover_rate)
        assert _same(together.average_tenure_days, alone.average_tenure_days)
        for ours, theirs in zip(together.retention, alone.retention, strict=True):
            assert ours["days"] == theirs["days"] and _same(ours["survival"], theirs["survival"]), vendor_id
    assert many[999].retention[-1]["survival"] == 0.0
    assert many[5000].retention[0]["survival"] is None and many[5000].turnover_rate is None
