"""Serve the application with gunicorn (a production-grade WSGI server), a background-task worker and the
daily scheduler (automatic renewals and reminders)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from outsourcing.core.server import gunicorn_options
from outsourcing.core.supervisor import ProcessSpec, Supervisor, outsourcing_command


def background_processes(*, no_worker: bool = False, no_scheduler: bool = False) -> list[ProcessSpec]:
    """The processes `serve` keeps running beside gunicorn; each is restarted if it exits."""
    processes: list[ProcessSpec] = []
    if settings.TASKS_BACKEND == "database" and not no_worker:
        processes.append(outsourcing_command("worker"))
    if not no_scheduler:
        # The daily pass; running it twice (a restart, a second server) sends nothing twice.
        processes.append(outsourcing_command("scheduler"))
    return processes


class Command(BaseCommand):
    help = "Serve Outsourcing Manager (static files included) with gunicorn, and run the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None, help="Worker processes (default: one per core).")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background-task worker.")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Do not run the daily pass (renewals and reminders)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        # Collect first: WhiteNoise indexes the static root when the application is loaded.
        call_command("collectstatic", interactive=False, verbosity=0)
        from outsourcing.wsgi import application

        supervisor = Supervisor(
            background_processes(no_worker=options["no_worker"], no_scheduler=options["no_scheduler"])
        )
        supervisor.start()

        bind = f"{options['host']}:{options['port']}"

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for name, value in gunicorn_options(
                    bind=bind, workers=options["workers"], data_dir=settings.DATA_DIR
                ).items():
                    self.cfg.set(name, value)

            def load(self) -> Any:
                return application

        self.stdout.write(f"Outsourcing Manager on http://{bind}/")
        try:
            Server().run()
        finally:
            supervisor.stop()
