"""How `outsourcing serve` runs gunicorn: the worker model, its timeouts and the limits in front of Django.

- Threaded workers (gthread), one process per core, several threads each: a thread waits for a request's
  bytes at most a few seconds before the connection goes back to the poller, so idle or half-open
  connections cannot occupy every worker (three of them made the three sync workers unresponsive for 25 s).
- The request line, the number of header fields and each field's size are bounded by gunicorn before Django
  sees the request; the answer to a request over them is JSON like every other API error. Bodies are capped
  by core.middleware before they are read.
- The control socket (gunicorn's `gunicornc`) lives in the data dir, not in the home directory shared by
  every `serve` on the machine.
"""

from __future__ import annotations

import errno
import json
import os
import selectors
import socket
import time
from functools import partial
from pathlib import Path
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import TConn, ThreadWorker

from outsourcing.core.errors import error_item

REQUEST_LINE_LIMIT = 8190  # bytes: room for a long filtered list address, far below anything abusive
HEADER_FIELDS_LIMIT = 100
HEADER_FIELD_SIZE_LIMIT = 8190
THREADS_PER_WORKER = 8
KEEPALIVE_SECONDS = 5
TIMEOUT_SECONDS = 120  # a worker silent this long is restarted (a long export may take a minute)


def default_workers() -> int:
    """One worker process per core, at least two so that one busy process never holds up everyone."""
    return max(2, os.cpu_count() or 1)


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's answer to a request it refuses (line too long, too many headers, …), as JSON."""
    body = json.dumps({"detail": [error_item(f"{reason}: {mesg}" if mesg else reason)]}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    util.write_nonblock(sock, head + body)


class JsonErrorThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker that gives a thread only to a connection with bytes to read, and whose own
    error answers (before Django sees a request) are JSON.

    gunicorn hands a new connection to a thread that waits up to 5 s for its first bytes: sixteen idle
    connections held every thread of two workers for those 5 s. Here a new connection waits in the poller,
    as a kept-alive one does, and is closed after the keep-alive timeout if nothing arrives.
    """

    def init_process(self) -> None:
        util.write_error = write_json_error  # read at call time by gunicorn.workers.base.handle_error
        super().init_process()

    def accept(self, listener: socket.socket) -> None:
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client, address, listener.getsockname())  # non-blocking until a thread takes it
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(client, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))


def gunicorn_options(*, bind: str, workers: int | None, data_dir: Path) -> dict[str, Any]:
    control_socket = data_dir / "gunicorn.ctl"
    return {
        # A Unix socket's path holds at most 107 bytes: a data dir deeper than that serves without one.
        "control_socket_disable": len(os.fsencode(control_socket)) > 100,
        "bind": bind,
        "worker_class": f"{__name__}.JsonErrorThreadWorker",
        "workers": workers or default_workers(),
        "threads": THREADS_PER_WORKER,
        "keepalive": KEEPALIVE_SECONDS,
        "timeout": TIMEOUT_SECONDS,
        "graceful_timeout": 30,
        "limit_request_line": REQUEST_LINE_LIMIT,
        "limit_request_fields": HEADER_FIELDS_LIMIT,
        "limit_request_field_size": HEADER_FIELD_SIZE_LIMIT,
        "control_socket": str(control_socket),
        "accesslog": "-",
    }
