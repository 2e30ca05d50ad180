"""The background worker heals itself: it outlives a locked database, and a killed worker's task runs exactly once.

These run real worker processes against a SQLite database of their own (the project's data dir layout), because
what is tested is what happens between processes: a lock held by another connection, a SIGKILL.
"""

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

# The lock is held until the worker has been refused LOCK_REFUSALS times, each after waiting BUSY_MS (its SQLite
# busy timeout): at least LOCK_REFUSALS × BUSY_MS. Fast by default; WORKER_TEST_BUSY_MS=5000
# WORKER_TEST_LOCK_REFUSALS=2 is the production case of a lock held for over 10 seconds.
BUSY_MS = os.environ.get("WORKER_TEST_BUSY_MS", "100")
LOCK_REFUSALS = int(os.environ.get("WORKER_TEST_LOCK_REFUSALS", "3"))
TIMEOUT = 120


@pytest.fixture
def data_dir(tmp_path):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "outsourcing", "migrate", "django_tasks_database", "-v", "0"], env=env, check=True
    )
    return tmp_path


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTSOURCING_", "DJANGO_", "DATABASE_URL"))}
    env.update(OUTSOURCING_DATA_DIR=str(data_dir), OUTSOURCING_TASKS="database", PYTHONUNBUFFERED="1", **extra)
    return env


def _enqueue(data_dir: Path, task: str) -> None:
    code = f"from outsourcing.core.tests.worker_tasks import {task}; {task}.enqueue({str(data_dir)!r})"
    subprocess.run(
        [sys.executable, "-m", "outsourcing", "shell", "--no-imports", "-c", code], env=_env(data_dir), check=True
    )


class Worker:
    """A worker process whose output lines can be awaited one by one."""

    def __init__(self, data_dir: Path, *args: str, **env: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "outsourcing", "worker", "--no-startup-delay", "--interval", "0.05", *args],
            env=_env(data_dir, **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text: str, times: int = 1) -> None:
        count = 0
        while count < times:
            line = self.lines.get(timeout=TIMEOUT)
            assert line is not None, f"the worker ended before saying {text!r}:\n{''.join(self.seen)}"
            self.seen.append(line)
            count += text in line

    def finish(self) -> int:
        code = self.process.wait(timeout=TIMEOUT)
        while (line := self.lines.get(timeout=TIMEOUT)) is not None:
            self.seen.append(line)
        return code


def _results(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "outsourcing.sqlite3") as db:
        return db.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult").fetchall()


def _completions(data_dir: Path) -> list[str]:
    path = data_dir / "completions"
    return path.read_text().splitlines() if path.exists() else []


def test_the_worker_outlives_a_lock_held_by_another_connection(data_dir):
    _enqueue(data_dir, "record")
    holder = sqlite3.connect(data_dir / "outsourcing.sqlite3", isolation_level=None, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    worker = Worker(data_dir, "--batch", OUTSOURCING_SQLITE_BUSY_TIMEOUT_MS=BUSY_MS)
    try:
        worker.wait_for("database is locked", times=LOCK_REFUSALS)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert worker.finish() == 0, "".join(worker.seen)
    assert _completions(data_dir) == ["done"]
    assert [status for status, _ in _results(data_dir)] == ["SUCCESSFUL"]


def test_a_killed_workers_task_is_taken_over_and_completes_exactly_once(data_dir):
    _enqueue(data_dir, "hang_on_first_attempt")
    first = Worker(data_dir)
    first.wait_for("HANGING")
    first.process.send_signal(signal.SIGKILL)
    first.finish()
    assert [status for status, _ in _results(data_dir)] == ["RUNNING"]

    # The claim was made on this host by a process that no longer runs: the next worker takes it over at once
    # (on another host it would wait for the lease to run out, half an hour by default).
    second = Worker(data_dir, "--batch")
    assert second.finish() == 0, "".join(second.seen)
    third = Worker(data_dir, "--batch", "--lease", "0")
    assert third.finish() == 0, "".join(third.seen)

    assert _completions(data_dir) == ["done"]
    [(status, worker_ids)] = _results(data_dir)
    assert status == "SUCCESSFUL" and len(__import__("json").loads(worker_ids)) == 2
