"""`outsourcing serve` in front of Django: answers before reading an oversized body, bounds the request line
in JSON, is not starved by idle connections, and keeps its control socket in the data dir."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from outsourcing.core.server import default_workers, gunicorn_options


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTSOURCING_", "DJANGO_", "DATABASE_URL"))}
    env.update(OUTSOURCING_DATA_DIR=str(data_dir), OUTSOURCING_LOCAL_HTTP="1", HOME=str(data_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "outsourcing", "serve", "--port", str(port), "--no-worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # gunicorn logs its start to stderr; a worker booted means requests are served
        if "Booting worker" in line:
            break
    else:
        pytest.fail("the server did not start")
    yield port, data_dir
    process.terminate()
    process.wait(timeout=30)


def _ask(port: int, raw: bytes, timeout: float = 20) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(raw)
        return conn.recv(4096)


def test_a_50_mb_body_is_refused_before_it_is_sent(server):
    port, data_dir = server
    head = (
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 52428800\r\n\r\n"
    )
    # Only the first kilobyte is ever sent: the answer cannot wait for the other 50 MB.
    answer = _ask(port, head + b"username=a&" + b"x" * 1000)
    assert answer.startswith(b"HTTP/1.1 413")
    assert not list((data_dir).glob("tmp*"))


def test_a_request_line_over_the_limit_answers_json(server):
    port, _data_dir = server
    answer = _ask(port, b"GET /api/v1/vendors?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 414")
    assert b"Content-Type: application/json" in answer
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    (item,) = body["detail"]  # the API's one error body
    assert item["loc"] == [] and item["field"] == "" and item["msg"]


def test_too_many_header_fields_answer_json(server):
    port, _data_dir = server
    headers = b"".join(b"X-F%d: 1\r\n" % i for i in range(150))
    answer = _ask(port, b"GET /api/v1/vendors HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431")
    assert b"application/json" in answer


def test_idle_connections_do_not_starve_a_client(server):
    port, _data_dir = server
    # One worker with a handful of threads: before, every idle connection held a thread (or a sync worker).
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
    half_open = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    for conn in half_open:
        conn.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.")
    try:
        # gunicorn closes idle connections after its 5-second keep-alive: the answer must come before that.
        answer = _ask(port, b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout=4)
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        for conn in idle + half_open:
            conn.close()


def test_the_control_socket_is_in_the_data_dir(server):
    _port, data_dir = server
    # gunicorn's arbiter opens the control socket after it starts listening: wait for it, bounded.
    deadline = time.monotonic() + 20
    while not (data_dir / "gunicorn.ctl").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (data_dir / "gunicorn.ctl").exists()
    assert not (data_dir / ".gunicorn").exists()  # HOME points at the data dir: nothing went there


def test_workers_are_sized_to_the_cores(tmp_path):
    options = gunicorn_options(bind="127.0.0.1:1", workers=None, data_dir=tmp_path)
    assert options["workers"] == default_workers() >= 2
    assert options["worker_class"].endswith("JsonErrorThreadWorker")
    assert options["threads"] > 1
    too_deep = tmp_path / ("d" * 120)
    assert gunicorn_options(bind="127.0.0.1:1", workers=2, data_dir=too_deep)["control_socket_disable"]
