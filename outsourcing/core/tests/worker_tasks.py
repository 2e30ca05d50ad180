"""Tasks the worker tests run in a real worker process (they must be importable by their path)."""

import sys
import threading
from pathlib import Path

from django_tasks import TaskContext, task


@task()
def record(directory: str) -> None:
    with open(Path(directory) / "completions", "a") as out:
        out.write("done\n")


@task(takes_context=True)
def hang_on_first_attempt(context: TaskContext, directory: str) -> None:
    """The first worker to run it hangs (the test kills it); a later attempt records one completion."""
    if context.attempt == 1:
        print("HANGING", flush=True)
        sys.stdout.flush()
        threading.Event().wait()
    record.call(directory)
