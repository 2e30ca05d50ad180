"""A small supervisor for the processes `serve` runs beside the web server (the task worker, a scheduler…).

Each process is a `ProcessSpec`; the supervisor starts them all, restarts any that exits (after a short
wait that grows while it keeps failing straight away), and stops them when the server stops. Adding a
process to `serve` is adding a spec to the list.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger("outsourcing.supervisor")


@dataclass(frozen=True)
class ProcessSpec:
    """A process to keep running: a name for the log, and its command line."""

    name: str
    argv: Sequence[str]
    env: dict[str, str] | None = None


def outsourcing_command(name: str, *args: str) -> ProcessSpec:
    """A spec running `python -m outsourcing <name> <args>` with this interpreter."""
    return ProcessSpec(name=name, argv=[sys.executable, "-m", "outsourcing", name, *args])


@dataclass
class _Child:
    spec: ProcessSpec
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    delay: float = 0.0
    restarts: int = 0
    next_start: float = field(default=0.0)


class Supervisor:
    """Keep every spec's process running until `stop()`.

    `min_delay` is the wait before a restart; it doubles up to `max_delay` while a process exits within
    `healthy_after` seconds of its start, and falls back to `min_delay` once a run lasted that long.
    """

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        min_delay: float = 1.0,
        max_delay: float = 30.0,
        healthy_after: float = 60.0,
        poll: float = 0.5,
        on_start: Callable[[ProcessSpec, int], None] | None = None,
    ) -> None:
        self.children = [_Child(spec) for spec in specs]
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        self.poll = poll
        self.on_start = on_start
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        for child in self.children:
            self._launch(child)
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._thread.start()

    def _launch(self, child: _Child) -> None:
        child.process = subprocess.Popen(list(child.spec.argv), env=child.spec.env)  # noqa: S603 (our own specs)
        child.started_at = time.monotonic()
        logger.info("Started %s (pid %s).", child.spec.name, child.process.pid)
        if self.on_start is not None:
            self.on_start(child.spec, child.restarts)

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll):
            for child in self.children:
                self._check(child)

    def _check(self, child: _Child) -> None:
        now = time.monotonic()
        if child.process is not None:
            code = child.process.poll()
            if code is None:
                return
            ran = now - child.started_at
            child.delay = (
                self.min_delay
                if ran >= self.healthy_after
                else min(max(child.delay * 2, self.min_delay), self.max_delay)
            )
            child.next_start = now + child.delay
            child.process = None
            logger.warning(
                "%s exited with %s after %.0f s; restarting in %.1f s.", child.spec.name, code, ran, child.delay
            )
        if now >= child.next_start and not self._stopping.is_set():
            child.restarts += 1
            self._launch(child)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching, ask every process to end (SIGTERM), and kill those still running after `timeout`."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
