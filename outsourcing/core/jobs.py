"""Background work that heals itself: waiting out a locked database, and leases on running tasks.

The database task worker (django-tasks-db) claims a task by marking it "running". Two things used to stop
background work for good: a "database is locked" error (SQLite, while an import held the write lock)
ended the worker, and a worker killed mid-task left its task "running" forever.

- `retry_while_locked` retries a short piece of work while the database is locked, with backoff;
- `ResilientWorker` treats a locked database as a reason to wait, never to exit, and records every task's
  outcome even if the database is locked at that moment;
- a claim is a lease: a task still "running" `lease` seconds after it was claimed is presumed lost with its
  worker (every task finishes well within the lease; imports stop themselves at their time budget), and
  the next worker puts it back in the queue, at most `max_attempts` claims in all; then it is failed with
  a readable error, and `task_finished` is sent so that the owner of the work (an import job) ends too.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus, task_finished
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("outsourcing.jobs")
T = TypeVar("T")


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database table is locked" (PostgreSQL waits instead)."""
    return isinstance(exc, OperationalError) and "is locked" in str(exc).lower()


def retry_while_locked(
    work: Callable[[], T], *, patience: float | None = None, stop: threading.Event | None = None
) -> T:
    """Run `work`, again after a short wait while the database is locked, for up to `patience` seconds.

    Outside a transaction only: inside one, the lock error has already spoiled it.
    """
    patience = settings.OUTSOURCING_LOCK_PATIENCE if patience is None else patience
    waited = 0.0
    delay = 0.05
    stop = stop or threading.Event()
    while True:
        try:
            return work()
        except OperationalError as exc:
            if not is_locked(exc) or connection.in_atomic_block or waited >= patience:
                raise
            logger.warning("The database is locked; trying again in %.2f s.", delay)
            stop.wait(delay)
            waited += delay
            delay = min(delay * 2, 2.0)


class WorkerLost(Exception):
    """The worker running a task stopped (killed, or the machine restarted) before the task ended."""


HOST = socket.gethostname()[:24]


def worker_id() -> str:
    """host:pid:random — so that a worker on the same host can tell a claim of a dead process at once."""
    return f"{HOST}:{os.getpid()}:{get_random_string(12)}"


def _dead_here(worker_ids: list[str]) -> bool:
    """Whether the last claim was made by a process of this host that no longer runs."""
    host, _sep, rest = (worker_ids[-1] if worker_ids else "").partition(":")
    pid = rest.partition(":")[0]
    if host != HOST or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists, but belongs to someone else
    return False


def recover_lost_tasks(
    backend_name: str, *, lease: float, max_attempts: int, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Re-queue tasks whose claim is lost, or fail them after `max_attempts` claims. (re-queued, failed).

    A claim is lost when its lease ran out, or at once when it was made on this host by a process that no
    longer runs (a worker killed and restarted by `serve` takes its task over straight away).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=lease)
    running = DBTaskResult.objects.running().filter(backend_name=backend_name).only("pk", "started_at", "worker_ids")
    candidates = [r.pk for r in running if (r.started_at and r.started_at < cutoff) or _dead_here(r.worker_ids)]
    if not candidates:  # the usual case, answered without taking the write lock
        return 0, 0
    expired = DBTaskResult.objects.running().filter(pk__in=candidates)
    requeued = failed = 0
    lost: list[DBTaskResult] = []
    with exclusive_transaction(expired.db):
        for result in expired.select_for_update(skip_locked=True):
            if len(result.worker_ids) < max_attempts:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                requeued += 1
            else:
                error = WorkerLost(
                    f"The worker running this task stopped {len(result.worker_ids)} times before it ended; "
                    "it was not tried again."
                )
                result.set_failed(error)
                lost.append(result)
                failed += 1
    for result in lost:
        try:
            task_finished.send(sender=type(result.task.get_backend()), task_result=result.task_result)
        except Exception:
            logger.exception("Could not report the lost task %s", result.pk)
    if requeued or failed:
        logger.warning("Tasks whose worker was lost: %s re-queued, %s failed.", requeued, failed)
    return requeued, failed


class ResilientWorker(Worker):  # type: ignore[misc]
    """django-tasks-db's worker, made to outlive a locked database and to take over lost tasks."""

    def __init__(
        self,
        *,
        lease: float,
        max_attempts: int,
        on_locked: Callable[[OperationalError], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lease = lease
        self.max_attempts = max_attempts
        self.on_locked = on_locked
        self.stop = threading.Event()
        self.locked_delay = 0.05

    def shutdown(self, signum: int, frame: Any) -> None:
        self.stop.set()
        super().shutdown(signum, frame)

    def _claim(self) -> DBTaskResult | None:
        close_old_connections()
        recover_lost_tasks(self.backend_name, lease=self.lease, max_attempts=self.max_attempts)
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        if not tasks.exists():  # idle: a plain read, so an idle worker never takes the write lock
            return None
        with exclusive_transaction(tasks.db):
            result: DBTaskResult | None = tasks.get_locked()
            if result is not None:
                result.claim(self.worker_id)
        return result

    def run(self) -> None:
        logger.info(
            "Starting worker %s (lease %s s, at most %s attempts)", self.worker_id, self.lease, self.max_attempts
        )
        while self.running:
            try:
                result = self._claim()
            except OperationalError as exc:
                if not is_locked(exc):
                    raise
                self._wait_out_lock(exc)
                continue
            self.locked_delay = 0.05
            if result is not None:
                self.run_task(result)
            elif self.batch:
                logger.info("No more tasks for worker %s; exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and result is None:
                self.stop.wait(self.interval)

    def _wait_out_lock(self, exc: OperationalError) -> None:
        logger.warning("The database is locked; the worker waits %.2f s and tries again.", self.locked_delay)
        if self.on_locked is not None:
            self.on_locked(exc)
        if not connection.in_atomic_block:
            connection.close()
        self.stop.wait(self.locked_delay)
        self.locked_delay = min(self.locked_delay * 2, 2.0)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task; record its outcome, waiting out a locked database rather than losing it."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            from django_tasks_db.compat import TaskContext, task_started

            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            failure: BaseException | None = None
        except BaseException as exc:  # the worker outlives any task
            failure = exc
            value = None
        finally:
            self.running_task = False
            self._run_tasks += 1
        if connection.in_atomic_block:  # a task must not leave a transaction open; end the broken one
            connection.close()
        if failure is None:
            try:
                retry_while_locked(lambda: db_task_result.set_successful(value), patience=float("inf"), stop=self.stop)
            except OperationalError:
                raise
            except Exception as exc:  # e.g. a return value that is not JSON
                failure = exc
        if failure is not None:
            logger.warning("Task %s failed: %s", db_task_result.pk, failure)
            retry_while_locked(lambda: db_task_result.set_failed(failure), patience=float("inf"), stop=self.stop)
        try:
            task_finished.send(sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result)
        except Exception:
            logger.exception("Task %s finished, but reporting it failed", db_task_result.pk)


def failed_and_lost_tasks(limit: int = 50) -> list[DBTaskResult]:
    """The latest background tasks that failed, and those running past their lease (for the admin's page)."""
    if settings.TASKS_BACKEND != "database":
        return []
    overdue = timezone.now() - datetime.timedelta(seconds=settings.OUTSOURCING_TASK_LEASE)
    query = DBTaskResult.objects.failed() | DBTaskResult.objects.running().filter(started_at__lt=overdue)
    return list(query.order_by("-enqueued_at")[:limit])
