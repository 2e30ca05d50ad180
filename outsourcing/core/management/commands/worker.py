"""Run the background-task worker: django-tasks-db's, made to outlive a locked database and take over lost tasks."""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from outsourcing.core.jobs import ResilientWorker, worker_id


class Command(DbWorkerCommand):  # type: ignore[misc]
    help = "Run the background-task worker (waits out a locked database; re-queues tasks of a lost worker)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)  # host:pid:random unless given (see jobs.worker_id)
        parser.add_argument(
            "--lease",
            type=float,
            default=settings.OUTSOURCING_TASK_LEASE,
            help="Seconds after which a task still running is presumed lost with its worker and re-queued.",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=settings.OUTSOURCING_TASK_MAX_ATTEMPTS,
            help="How many workers may claim one task before it is failed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        jobs_logger = logging.getLogger("outsourcing.jobs")
        jobs_logger.setLevel(logging.INFO if options["verbosity"] else logging.ERROR)
        jobs_logger.propagate = False  # printed once, by the handler below
        if not jobs_logger.handlers:
            jobs_logger.addHandler(logging.StreamHandler(self.stdout))
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = ResilientWorker(
            lease=options["lease"],
            max_attempts=options["max_attempts"],
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or worker_id(),
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
