"""A task still "running" past its lease was lost with its worker: re-queued, at most a few times, then failed."""

import datetime
import os

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outsourcing.core.jobs import recover_lost_tasks
from outsourcing.teams.imports import roster_import_task
from outsourcing.teams.models import ImportJob

pytestmark = pytest.mark.django_db


def _running(job_id, workers, minutes_ago):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [job_id], "kwargs": {}},
        task_path=roster_import_task.module_path,
        backend_name="default",
        run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        worker_ids=[f"w{i}" for i in range(workers)],
    )


def test_a_task_past_its_lease_is_queued_again_and_one_within_it_is_left_alone(vendor_a):
    lost = _running(1, workers=1, minutes_ago=31)
    busy = _running(2, workers=1, minutes_ago=29)
    assert recover_lost_tasks("default", lease=30 * 60, max_attempts=3) == (1, 0)
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, lost.started_at, lost.worker_ids) == ("READY", None, ["w0"])
    assert busy.status == "RUNNING"


def test_after_the_last_attempt_the_task_fails_with_a_readable_error_and_its_import_job_ends(vendor_a, manager):
    job = ImportJob.objects.create(vendor=vendor_a, created_by=manager, original_name="r.csv", status="writing")
    task = _running(job.pk, workers=3, minutes_ago=31)
    assert recover_lost_tasks("default", lease=30 * 60, max_attempts=3) == (0, 1)
    task.refresh_from_db()
    assert task.status == "FAILED" and "stopped 3 times" in task.traceback
    job.refresh_from_db()
    assert job.status == "failed" and "worker running this import stopped" in job.errors[0]["msg"]


def test_a_claim_by_a_process_of_this_host_that_no_longer_runs_is_lost_at_once(vendor_a):
    import subprocess
    import sys

    from outsourcing.core.jobs import HOST

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = _running(1, workers=1, minutes_ago=1)
    dead.worker_ids = [f"{HOST}:{gone.stdout.strip()}:abc"]
    dead.save()
    alive = _running(2, workers=1, minutes_ago=1)
    alive.worker_ids = [f"{HOST}:{os.getpid()}:abc"]
    alive.save()
    elsewhere = _running(3, workers=1, minutes_ago=1)
    elsewhere.worker_ids = [f"another-host:{gone.stdout.strip()}:abc"]
    elsewhere.save()
    assert recover_lost_tasks("default", lease=30 * 60, max_attempts=3) == (1, 0)
    assert DBTaskResult.objects.get(pk=dead.pk).status == "READY"
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 2
