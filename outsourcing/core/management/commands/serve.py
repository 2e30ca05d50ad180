"""Serve the application with gunicorn (a production-grade WSGI server) and a background-task worker."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from outsourcing.core.server import gunicorn_options


class Command(BaseCommand):
    help = "Serve Outsourcing Manager (static files included) with gunicorn, and run the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None, help="Worker processes (default: one per core).")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background-task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        # Collect first: WhiteNoise indexes the static root when the application is loaded.
        call_command("collectstatic", interactive=False, verbosity=0)
        from outsourcing.wsgi import application

        worker = None
        if settings.TASKS_BACKEND == "database" and not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "outsourcing", "db_worker"])

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
            if worker is not None:
                worker.terminate()
