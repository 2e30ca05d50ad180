"""`outsourcing benchmark --load` end to end, small: a tiny portfolio, two `serve` instances sharing the database and
a throwaway object store (moto), a few locust clients for a few seconds. Correctness only — no timing is asserted:
every request answers without an error, the figures are produced, and what the load wrote is removed again."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# Looked up, not imported: importing locust patches the standard library with gevent.
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None or importlib.util.find_spec("moto") is None,
    reason="the load extra (locust) and moto come with the dev extra",
)


def test_a_short_load_run_on_two_instances_answers_every_request_and_reports_its_figures(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTSOURCING_", "DJANGO_", "DATABASE_URL"))}
    env["OUTSOURCING_DATA_DIR"] = str(tmp_path)
    command = [sys.executable, "-m", "outsourcing"]
    subprocess.run([*command, "migrate", "-v", "0"], env=env, check=True, timeout=600)
    result = subprocess.run(
        [
            *command,
            "benchmark",
            *("--vendors", "12", "--members", "300", "--measurements", "400"),
            "--load",
            *("--load-clients", "4", "--load-seconds", "4", "--load-instances", "2", "--load-workers", "1"),
            *("--output", str(tmp_path / "results.md")),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("LOAD-RESULT "))
    run = json.loads(line.removeprefix("LOAD-RESULT "))
    assert run["instances"] == 2
    assert run["object_store"].startswith("an S3 object store")
    assert run["requests"] > 0 and run["requests_per_second"] > 0 and run["p99_ms"] > 0
    assert run["failures"] == 0, run["errors"]
    assert run["server_errors_logged"] == 0
    assert sum(row["requests"] for row in run["by_name"]) == run["requests"]
    assert {w["instance"] for w in run["workers_memory"]} == {0, 1}  # one web worker each, measured
    assert all(w["rss_mb"] > 0 for w in run["workers_memory"])
    assert "| clients | seconds | requests | failures |" in (tmp_path / "results.md").read_text()
    # Every read of the mix was also timed alone, weighed as the clients choose them (the weights sum to 1).
    assert {row["persona"] for row in run["alone"]} == {"manager", "vendor"}
    assert abs(sum(row["weight"] for row in run["alone"]) - 1) < 1e-9
    assert all(row["median_ms"] > 0 for row in run["alone"]) and run["alone_mix_ms"] > 0
    assert "The reads that cost the mix most" in (tmp_path / "results.md").read_text()
    with sqlite3.connect(tmp_path / "outsourcing.sqlite3") as db:  # the load's own records are gone again
        assert (
            db.execute("SELECT count(*) FROM vendors_vendor WHERE registration_number LIKE 'BENCH-LOAD-%'").fetchone()[
                0
            ]
            == 0
        )
        assert (
            db.execute("SELECT count(*) FROM teams_teammember WHERE employee_number LIKE 'LOAD-%'").fetchone()[0] == 0
        )
