"""A load run against `outsourcing serve` on the demo data: N clients for S seconds, loopback only.

    .venv/bin/python scripts/load_run.py                       # SQLite, 50 clients, 60 s
    .venv/bin/python scripts/load_run.py --database-url postgres://postgres@127.0.0.1:5432/om_load

It builds a fresh data dir (migrate + demo), starts `outsourcing serve` on a free loopback port (with its task
worker), and runs a realistic mix from threads: pages of every area as the manager, the auditor and vendor
users (signed in through the login form), API reads (lists, rosters, teams, stability), some writes (new
vendors, new members, vendor edits) — while a roster import of several thousand rows runs alongside, started
again whenever the previous one ends. It prints the number of requests, p50/p99 latency, the answers by
status, every server error (5xx) with its address, and the imports' outcomes; `--json` writes them to a file.

Not part of `make test`: it takes a minute and both cores.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORDS = {
    "manager": "Manager-Demo-2026",
    "auditor": "Auditor-Demo-2026",
    "vendor_a": "VendorA-Demo-2026",
    "vendor_b": "VendorB-Demo-2026",
}
PAGES = [
    "/",
    "/vendors/",
    "/engagements/",
    "/teams/",
    "/qualifications/",
    "/assessments/",
    "/reports/",
    "/processing/",
    "/accounts/profile/",
]
VENDOR_PAGES = ["/", "/vendors/", "/teams/", "/qualifications/", "/accounts/profile/"]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.kinds: Counter[str] = Counter()
        self.server_errors: list[str] = []
        self.transport_errors: list[str] = []

    def add(self, kind: str, method: str, path: str, status: int, seconds: float, body: bytes = b"") -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            self.kinds[kind] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {method} {path} {body[:200]!r}")

    def failed(self, method: str, path: str, exc: Exception) -> None:
        with self.lock:
            self.transport_errors.append(f"{method} {path}: {exc!r}")


class Client:
    """One user's HTTP client: a cookie jar for the pages, a bearer token for the API."""

    def __init__(self, base: str, recorder: Recorder, token: str | None = None) -> None:
        self.base = base
        self.recorder = recorder
        self.token = token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        record: bool = True,
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.token and path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, content = exc.code, exc.read()
        except Exception as exc:
            self.recorder.failed(method, path, exc)
            return 0, b""
        if record:
            self.recorder.add(kind, method, path, status, time.perf_counter() - started, content)
        return status, content

    def json(self, kind: str, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        if method == "GET":
            status, content = self.request(kind, method, path)
        else:
            status, content = self.request(
                kind, method, path, json.dumps(payload).encode(), {"Content-Type": "application/json"}
            )
        try:
            return status, json.loads(content or b"null")
        except ValueError:
            return status, None

    def sign_in(self, username: str) -> None:
        _status, page = self.request("login", "GET", "/accounts/login/", record=False)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORDS[username], "csrfmiddlewaretoken": token.group(1).decode()}
        ).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + "/accounts/login/"}
        status, _ = self.request("login", "POST", "/accounts/login/", form, headers, record=False)
        assert status == 200, f"signing in {username} answered {status}"


def api_token(base: str, recorder: Recorder, username: str) -> str:
    status, body = Client(base, recorder).json(
        "login", "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORDS[username]}
    )
    assert status == 200, f"no token for {username}: {status} {body}"
    return str(body["token"])


def roster_csv(rows: int, batch: str) -> bytes:
    lines = ["employee_number,full_name,employment_type,hire_date,probation_end_date,prior_experience_months"]
    for i in range(rows):
        lines.append(f"LOAD-{batch}-{i:05d},Load Person {i},regular,2022-01-{1 + i % 28:02d},2022-07-01,{i % 60}")
    return ("\n".join(lines) + "\n").encode()


def multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def run_load(base: str, clients: int, seconds: float, import_rows: int) -> dict[str, Any]:
    recorder = Recorder()
    tokens = {name: api_token(base, recorder, name) for name in PASSWORDS}
    owner = Client(base, recorder, tokens["manager"])
    _s, vendors = owner.json("setup", "GET", "/api/v1/vendors?limit=100", None)
    vendor_ids = [v["id"] for v in vendors["items"]]
    engagement_ids = {  # each persona reads the engagements it may see (a vendor user: its own vendor's)
        name: [
            e["id"]
            for e in Client(base, recorder, token).json("setup", "GET", "/api/v1/engagements?limit=100")[1]["items"]
        ]
        for name, token in tokens.items()
    }
    own_vendors = {
        name: Client(base, recorder, tokens[name]).json("setup", "GET", "/api/v1/vendors?limit=1")[1]["items"][0]["id"]
        for name in ("vendor_a", "vendor_b")
    }
    vendor_a_id = own_vendors["vendor_a"]
    deadline = time.monotonic() + seconds
    imports: list[dict[str, Any]] = []

    def importer() -> None:
        client = Client(base, recorder, tokens["vendor_a"])
        n = 0
        while time.monotonic() < deadline:
            n += 1
            body, content_type = multipart("file", "roster.csv", roster_csv(import_rows, f"{os.getpid()}-{n}"))
            started = time.monotonic()
            status, content = client.request(
                "import", "POST", f"/api/v1/vendors/{vendor_a_id}/roster-imports", body, {"Content-Type": content_type}
            )
            record: dict[str, Any] = {"started_status": status, "rows": import_rows}
            imports.append(record)
            if status != 201:
                record["error"] = content[:300].decode(errors="replace")
                return
            job = json.loads(content)
            while time.monotonic() < deadline + 120:
                status, job = client.json("import", "GET", f"/api/v1/roster-imports/{job['id']}", None)
                if status != 200 or job.get("status") in {"succeeded", "failed", "done", "error"}:
                    break
                time.sleep(0.5)
            record.update(status=job.get("status") if isinstance(job, dict) else status)
            record["seconds"] = round(time.monotonic() - started, 1)

    def worker(index: int) -> None:
        persona = ["manager", "manager", "auditor", "vendor_a", "vendor_b"][index % 5]
        client = Client(base, recorder, tokens[persona])
        client.sign_in(persona)
        rng = random.Random(index)
        own_vendor = own_vendors.get(persona)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            roll = rng.random()
            if roll < 0.40:
                pages = VENDOR_PAGES if persona.startswith("vendor") else PAGES
                client.request("page", "GET", rng.choice(pages))
            elif roll < 0.85:
                vendor = own_vendor or rng.choice(vendor_ids)
                path = rng.choice(
                    [
                        "/api/v1/vendors?limit=50",
                        "/api/v1/engagements?limit=50",
                        f"/api/v1/vendors/{vendor}/members?limit=50",
                        f"/api/v1/vendors/{vendor}/stability",
                        f"/api/v1/engagements/{rng.choice(engagement_ids[persona] or [0])}/team",
                        "/api/v1/vendors?limit=5",
                    ]
                )
                client.request("api read", "GET", path)
            elif persona == "manager":
                if roll < 0.93:
                    client.json(
                        "api write",
                        "POST",
                        "/api/v1/vendors",
                        {
                            "name": f"Load vendor {index}-{n}-{uuid.uuid4().hex[:6]}",
                            "registration_number": f"LOAD-{uuid.uuid4().hex[:12]}",
                            "country": "SG",
                        },
                    )
                else:
                    vendor = rng.choice(vendor_ids)
                    client.json("api write", "PATCH", f"/api/v1/vendors/{vendor}", {"website": f"https://v{n}.example"})
            elif persona == "vendor_a":
                client.json(
                    "api write",
                    "POST",
                    f"/api/v1/vendors/{vendor_a_id}/members",
                    {
                        "full_name": f"Load member {index}-{n}",
                        "employee_number": f"LM-{uuid.uuid4().hex[:10]}",
                        "employment_type": "regular",
                        "hire_date": "2023-03-01",
                    },
                )
            else:
                client.request("api read", "GET", "/api/v1/vendors?limit=10")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=importer))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies = sorted(recorder.latencies)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0,
        "by_kind": dict(recorder.kinds),
        "by_status": {str(k): v for k, v in sorted(recorder.statuses.items())},
        "server_errors": len(recorder.server_errors),
        "server_error_samples": recorder.server_errors[:20],
        "transport_errors": len(recorder.transport_errors),
        "transport_error_samples": recorder.transport_errors[:10],
        "imports": imports,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-rows", type=int, default=5000)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "load"))
    parser.add_argument("--database-url", default="", help="PostgreSQL (a database the run may wipe); default SQLite")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 600:
        parser.error("keep it bounded: 1-200 clients, 1-600 seconds")

    data_dir = Path(args.data_dir).resolve()
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTSOURCING_", "DATABASE_URL"))}
    env.update(OUTSOURCING_DATA_DIR=str(data_dir), OUTSOURCING_LOCAL_HTTP="1", OUTSOURCING_LOG_LEVEL="WARNING")
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        reset = (
            "from django.db import connection; "
            "connection.cursor().execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')"
        )
        subprocess.run([sys.executable, "-m", "outsourcing", "shell", "-c", reset], env=env, check=True)
    command = [sys.executable, "-m", "outsourcing"]
    subprocess.run([*command, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*command, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    log = (data_dir / "serve.log").open("w")
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(300):
            try:
                with urllib.request.urlopen(base + "/accounts/login/", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        results = run_load(base, args.clients, args.seconds, args.import_rows)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    results["database"] = "postgresql" if args.database_url else "sqlite"
    print(json.dumps(results, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
