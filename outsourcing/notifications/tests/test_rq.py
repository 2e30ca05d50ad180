"""The documented scale-out: tasks on Redis with OUTSOURCING_TASKS=rq. A real task goes through the Redis at
127.0.0.1:6379 and a real RQ worker. Skipped when no Redis runs locally; CI starts Redis and sets
OUTSOURCING_REQUIRE_REDIS=1, so there it fails instead of skipping."""

import os

import pytest
from django.core import mail

from outsourcing.core.registry import Notice, notify
from outsourcing.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_queue(settings):
    import redis

    connection = redis.Redis(host="127.0.0.1", port=6379, db=14)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("OUTSOURCING_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is not running at 127.0.0.1:6379 (OUTSOURCING_REQUIRE_REDIS=1)")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    name = "default"  # the queue tasks go to; in a Redis database of the tests' own, emptied before and after
    connection.flushdb()
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:6379/14"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    yield name
    connection.flushdb()


def test_an_email_task_runs_through_redis_and_an_rq_worker(
    redis_queue, manager, vendor_a, django_capture_on_commit_callbacks
):
    import django_rq
    from django_tasks import task_backends
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from outsourcing.notifications.tasks import email_notification

    assert type(task_backends["default"]).__name__ == "RQBackend"
    manager.email = "manager@owner.example"
    manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Notice(
                kind="sla_breach",
                recipient_ids=(manager.pk,),
                subject=vendor_a,
                message="Breach on %(what)s.",
                params={"what": "uptime"},
                occasion="rq",
            )
        )
    queue = django_rq.get_queue(redis_queue, job_class=Job)
    assert queue.count == 1  # enqueued on Redis, not run in-process
    assert mail.outbox == []
    [job_id] = queue.job_ids
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    assert worker.work(burst=True)
    assert [m.to for m in mail.outbox] == [["manager@owner.example"]]
    assert Notification.objects.get().emailed_at is not None
    result = email_notification.get_result(job_id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value is True
