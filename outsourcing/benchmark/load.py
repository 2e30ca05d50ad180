"""`outsourcing benchmark --load`: many people at once against `outsourcing serve` on the benchmark's portfolio.

What it does, on the loopback address only and bounded in clients and seconds:

1. starts `--load-instances` `outsourcing serve` processes (gunicorn, the worker model of `core.server`) on free
   loopback ports. The first uses this data dir; every further one a data dir of its own (its own static files
   and control socket) with the same keys, database and file store — a second web server has nothing of its own.
   Several instances need a shared file store: the configured object store (OUTSOURCING_S3_BUCKET), or else a
   throwaway one on moto's server (the `dev` extra) started for the run;
2. signs the benchmark manager and a vendor's user in (sessions in the database, API tokens) and makes each client
   records of its own to write to (a vendor with a person, through the API), plus a few evidence files to read;
3. runs locust headless in a process of its own (`load_client`: 45 % pages, 45 % API reads, 10 % writes,
   round-robin over the instances) for `--load-seconds`;
4. reads the resident memory of every web worker process while they are still warm, stops the servers, removes
   what the clients wrote (the people, vendors and files the load made; the audit trail of it stays), and
   reports requests, failures, p50/p95/p99, requests per second, the load average beside them and each worker's
   RSS and PSS — as JSON on the standard output and as a Markdown section in `--output`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.core.management.base import CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from outsourcing.accounts.models import ApiToken, User
from outsourcing.core.access import Role
from outsourcing.core.server import THREADS_PER_WORKER, default_workers
from outsourcing.documents.models import Document
from outsourcing.engagements.models import Engagement
from outsourcing.teams.models import TeamMember
from outsourcing.vendors.models import Vendor

LOAD_VENDOR_PREFIX = "BENCH-LOAD-"  # vendors the load makes: benchmark data (the refusal check lets it pass)
LOAD_MEMBER_PREFIX = "LOAD-"
VENDOR_USER = "bench-vendor"
STARTUP_SECONDS = 300  # collectstatic and migrations checks on a busy shared machine
MAX_CLIENTS, MAX_SECONDS, MAX_INSTANCES = 500, 600, 4
EVIDENCE_FILES = 6
ALONE_RUNS, ALONE_SHOWN = 3, 8
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

Log = Callable[[str], None]


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--load", action="store_true", help="Run the load test against `serve` (see benchmark.load).")
    parser.add_argument("--load-clients", type=int, default=50, help=f"Concurrent clients (1-{MAX_CLIENTS}).")
    parser.add_argument("--load-seconds", type=float, default=60, help=f"Duration (1-{MAX_SECONDS} s).")
    parser.add_argument("--load-instances", type=int, default=1, help="`serve` instances, round-robin (1-4).")
    parser.add_argument("--load-workers", type=int, default=None, help="Worker processes per instance.")


# --------------------------------------------------------------------------------------------------------- report


@dataclass
class LoadRun:
    database: str
    instances: int
    workers: int
    threads: int
    object_store: str
    client: dict[str, Any]
    workers_memory: list[dict[str, Any]] = field(default_factory=list)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    cores: int = 0
    server_errors: int = 0
    server_cpu_seconds: float = 0.0  # CPU time of every web worker during the run
    client_cpu_seconds: float = 0.0  # CPU time of the load client
    alone: list[dict[str, Any]] = field(default_factory=list)  # `service_times`: each read of the mix, one client

    def mix_ms(self) -> float:
        """The mix's mean time per read for one client alone (each read's median by its weight in the mix)."""
        return sum(row["weight"] * row["median_ms"] for row in self.alone)

    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / max(1, self.client["requests"])

    def capacity(self) -> float:
        """Requests per second the web workers could answer with every core to themselves, at the measured CPU
        per request (the database server's own CPU, for PostgreSQL, is not in it)."""
        per_request = self.cpu_ms_per_request()
        return round(self.cores * 1000 / per_request, 1) if per_request else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "instances": self.instances,
            "workers_per_instance": self.workers,
            "threads_per_worker": self.threads,
            "object_store": self.object_store,
            "cores": self.cores,
            "load_average_before": self.load_before,
            "load_average_after": self.load_after,
            "server_errors_logged": self.server_errors,
            "server_cpu_seconds": round(self.server_cpu_seconds, 1),
            "client_cpu_seconds": round(self.client_cpu_seconds, 1),
            "server_cpu_ms_per_request": round(self.cpu_ms_per_request(), 1),
            "capacity_requests_per_second_on_free_cores": self.capacity(),
            "alone_mix_ms": round(self.mix_ms(), 1),
            "alone": self.alone,
            "workers_memory": self.workers_memory,
            **self.client,
        }

    def markdown(self, title: str, counts: str) -> str:
        c = self.client
        rss = [w["rss_mb"] for w in self.workers_memory]
        pss = [w["pss_mb"] for w in self.workers_memory]
        memory = f"{min(rss):.0f}–{max(rss):.0f} MB RSS, {min(pss):.0f}–{max(pss):.0f} MB PSS" if rss else "—"
        lines = [
            f"### {title or 'Load run'} — {timezone.now():%Y-%m-%d %H:%M} UTC",
            "",
            f"{self.database}, {self.instances} `serve` instance(s) × {self.workers} gthread workers × "
            f"{self.threads} threads, files in {self.object_store}; {self.cores} cores; load average "
            f"{_fmt_load(self.load_before)} before, {_fmt_load(self.load_after)} after (the machine is shared).",
            "",
            f"Data: {counts}.",
            "",
            f"The web workers used {self.server_cpu_seconds:.0f} s of CPU for {c['requests']:,} requests "
            f"({self.cpu_ms_per_request():.0f} ms per request; the load client {self.client_cpu_seconds:.0f} s): with "
            f"both cores to themselves that is about {self.capacity():.0f} requests/s"
            + (" (PostgreSQL's own CPU not included)." if self.database.startswith("postgres") else "."),
            "",
            "| clients | seconds | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms | worker memory |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {c['clients']} | {c['seconds']} | {c['requests']:,} | {c['failures']} | {c['requests_per_second']} "
            f"| {c['p50_ms']:.0f} | {c['p95_ms']:.0f} | {c['p99_ms']:.0f} | {c['max_ms']:.0f} | {memory} |",
            "",
            "<details><summary>By request</summary>",
            "",
            "| request | count | failures | median ms | p99 ms |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for row in c["by_name"]:
            lines.append(
                f"| {row['method']} {row['name']} | {row['requests']:,} | {row['failures']} "
                f"| {row['median_ms']:.0f} | {row['p99_ms']:.0f} |"
            )
        lines += ["", "</details>"]
        if self.alone:
            mix = self.mix_ms()
            lines += [
                "",
                f"One client alone, before the run (each read of the mix {ALONE_RUNS} times in turn, median): the "
                f"mix's reads take {mix:.1f} ms on average, so {self.cores} cores answer at most about "
                f"{self.cores * 1000 / mix:.0f} of them a second. The reads that cost the mix most:"
                if mix
                else "",
                "",
                "| read | alone: median ms | share of the mix's time |",
                "| --- | ---: | ---: |",
            ]
            for row in sorted(self.alone, key=lambda r: -r["weight"] * r["median_ms"])[:ALONE_SHOWN]:
                share = row["weight"] * row["median_ms"] / mix if mix else 0.0
                lines.append(f"| {row['persona']}: {row['name']} | {row['median_ms']:.1f} | {share:.0%} |")
        for error in c["errors"]:
            lines.append(f"\n- {error['occurrences']}× {error['method']} {error['name']}: {error['error'][:200]}")
        return "\n".join(lines) + "\n"


def _fmt_load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


# -------------------------------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], what: str, log_file: Path | None = None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_file.read_text(errors="replace")[-2000:] if log_file and log_file.exists() else ""
            raise CommandError(f"{what} exited with {process.returncode} before answering.\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own loopback server
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    tail = log_file.read_text(errors="replace")[-2000:] if log_file and log_file.exists() else ""
    raise CommandError(f"{what} did not answer within {STARTUP_SECONDS} s.\n{tail}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def object_store(instances: int, workdir: Path, log: Log) -> Iterator[tuple[dict[str, str], str]]:
    """The environment that gives every instance the same file store, and its description."""
    bucket = os.environ.get("OUTSOURCING_S3_BUCKET", "")
    if bucket:
        yield {}, f"the object store (bucket {bucket})"
        return
    if instances == 1:
        yield {}, "the data dir"
        return
    try:
        import boto3
        import moto.server  # noqa: F401 - only to say clearly what is missing
    except ImportError as exc:
        raise CommandError(
            "Several instances need a shared file store: set OUTSOURCING_S3_BUCKET (and its endpoint and keys), "
            'or install the dev extra (pip install -e ".[dev]") for a throwaway one on moto.'
        ) from exc
    port = free_port()
    moto_log = (workdir / "moto.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=moto_log, stderr=moto_log
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        _wait_until_up(endpoint + "/moto-api/", process, "moto's S3 server", workdir / "moto.log")
        env = {
            "OUTSOURCING_S3_BUCKET": "benchmark-load",
            "OUTSOURCING_S3_ENDPOINT_URL": endpoint,
            "OUTSOURCING_S3_ACCESS_KEY_ID": "benchmark",
            "OUTSOURCING_S3_SECRET_ACCESS_KEY": "benchmark-secret",
        }
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="benchmark",
            aws_secret_access_key="benchmark-secret",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket="benchmark-load")
        log(f"  object store: moto on {endpoint}")
        yield env, "an S3 object store (moto, throwaway)"
    finally:
        _stop(process)
        moto_log.close()


def _serve_env(index: int, workdir: Path, store_env: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(store_env)
    env.update(
        OUTSOURCING_LOCAL_HTTP="1",
        OUTSOURCING_LOG_LEVEL="WARNING",
        # The same keys for every instance: a session or a form made by one is good at the other.
        OUTSOURCING_SECRET_KEY=settings.SECRET_KEY,
        OUTSOURCING_IDENTITY_KEY=settings.IDENTITY_HASH_KEY,
    )
    if index > 0:
        own = workdir / f"instance-{index}"
        own.mkdir(parents=True, exist_ok=True)
        env["OUTSOURCING_DATA_DIR"] = str(own)
        if connection.vendor == "sqlite":  # the same database file (PostgreSQL comes from DATABASE_URL as it is)
            env["DATABASE_URL"] = f"sqlite:///{Path(settings.DATABASES['default']['NAME']).resolve()}"
    else:
        env["OUTSOURCING_DATA_DIR"] = str(settings.DATA_DIR)
    return env


@dataclass
class Instance:
    process: subprocess.Popen[bytes]
    url: str
    log_file: Path


@contextlib.contextmanager
def serve(instances: int, workers: int, workdir: Path, store_env: dict[str, str], log: Log) -> Iterator[list[Instance]]:
    started: list[Instance] = []
    try:
        for index in range(instances):
            port = free_port()
            log_file = workdir / f"serve-{index}.log"
            with log_file.open("wb") as out:
                process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
                    [
                        sys.executable,
                        "-m",
                        "outsourcing",
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--workers",
                        str(workers),
                        "--no-scheduler",  # the daily pass is not what is measured
                    ],
                    env=_serve_env(index, workdir, store_env),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started.append(Instance(process, f"http://127.0.0.1:{port}", log_file))
        for number, instance in enumerate(started):
            _wait_until_up(instance.url + "/accounts/login/", instance.process, f"serve #{number}", instance.log_file)
            log(f"  serve #{number} on {instance.url} (pid {instance.process.pid})")
        yield started
    finally:
        for instance in started:
            _stop(instance.process)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _cpu_seconds(pids: Iterable[int]) -> float:
    """User and system CPU time the processes have used so far (/proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
    return total / ticks


def _memory_mb(pid: int) -> tuple[float, float]:
    """Resident (RSS) and proportional (PSS: shared pages divided among their sharers) memory in MB."""
    rss = pss = 0.0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    return rss, pss


def web_workers_memory(instances: list[Instance]) -> list[dict[str, Any]]:
    """Every gunicorn worker of every instance: the arbiter's children that run the same program (the task worker
    that `serve` also starts runs `outsourcing worker`, and is left out)."""
    rows = []
    for number, instance in enumerate(instances):
        own = Path(f"/proc/{instance.process.pid}/cmdline").read_bytes()
        for child in _children(instance.process.pid):
            try:
                if Path(f"/proc/{child}/cmdline").read_bytes() != own:
                    continue
            except OSError:
                continue
            rss, pss = _memory_mb(child)
            rows.append({"instance": number, "pid": child, "rss_mb": round(rss, 1), "pss_mb": round(pss, 1)})
    return rows


# ------------------------------------------------------------------------------------------------------- the plan


def _session(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def _api(base: str, token: str, method: str, path: str, payload: Any = None, **extra: Any) -> Any:
    body, headers = None, {"Authorization": f"Bearer {token}"}
    if payload is not None:
        body, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
    if "multipart" in extra:
        body, headers["Content-Type"] = extra["multipart"]
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own loopback server
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        raise CommandError(f"Preparing the load: {method} {path} answered {exc.code}: {exc.read()[:300]!r}") from exc


def _evidence(kind: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="contract.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _member(base: str, token: str, vendor_id: int) -> int:
    number = f"{LOAD_MEMBER_PREFIX}{uuid.uuid4().hex[:12]}"
    body = {"full_name": f"Load {number}", "employee_number": number, "employment_type": "regular"}
    body["hire_date"] = "2024-01-02"
    return int(_api(base, token, "POST", f"/api/v1/vendors/{vendor_id}/members", body)["id"])


def make_plan(portfolio: Any, base: str, clients: int) -> dict[str, Any]:
    """Sessions, tokens and each client's own records (made through the API of the first instance)."""
    manager = User.objects.get(pk=portfolio.manager_id)
    home_vendor = portfolio.vendor_ids[1] if len(portfolio.vendor_ids) > 1 else portfolio.big_vendor_id
    vendor_user, _created = User.objects.get_or_create(
        username=VENDOR_USER, defaults={"role": Role.VENDOR, "vendor_id": home_vendor}
    )
    people: dict[str, dict[str, Any]] = {}
    for name, user in (("manager", manager), ("vendor", vendor_user)):
        _token, raw = ApiToken.issue(user, name="benchmark load")
        people[name] = {"session": _session(user), "token": raw}
    manager_token, vendor_token = people["manager"]["token"], people["vendor"]["token"]
    vendors = portfolio.vendor_ids
    sample = [vendors[i * len(vendors) // 40] for i in range(min(40, len(vendors)))]
    engagements = list(Engagement.objects.order_by("pk").values_list("pk", flat=True)[:40])
    big, engagement = portfolio.big_vendor_id, portfolio.engagement_id
    own = []
    for index in range(clients):
        if index % 5 == 4:  # the vendor's user: a person of its own vendor
            own.append({"vendor": vendor_user.vendor_id, "member": _member(base, vendor_token, home_vendor)})
            continue
        vendor = _api(
            base,
            manager_token,
            "POST",
            "/api/v1/vendors",
            {
                "name": f"Load vendor {index} {uuid.uuid4().hex[:6]}",
                "registration_number": f"{LOAD_VENDOR_PREFIX}{uuid.uuid4().hex[:12]}",
                "country": "SG",  # a Chinese vendor would need a real unified social credit code
            },
        )
        own.append({"vendor": vendor["id"], "member": _member(base, manager_token, vendor["id"])})
    documents = []
    for slot in own[: max(1, min(EVIDENCE_FILES, len(own)))]:
        body = _evidence("employment_contract")
        document = _api(base, manager_token, "POST", f"/api/v1/members/{slot['member']}/documents", multipart=body)
        documents.append(document["id"])

    def pick(ids: list[int], k: int) -> list[int]:
        return ids[:: max(1, len(ids) // k)][:k]

    people["manager"]["pages"] = [
        ("Dashboard", "/"),
        ("Vendor list", "/vendors/"),
        ("Vendor list, search", "/vendors/?q=科技&status=approved"),
        *[("Vendor detail", f"/vendors/{v}/") for v in pick(sample, 8)],
        ("Engagement list", "/engagements/"),
        *[("Engagement detail", f"/engagements/{e}/") for e in pick(engagements, 8)],
        ("Engagement team", f"/teams/engagements/{engagement}/team"),
        ("Teams overview", "/teams/"),
        ("Vendor roster", f"/teams/vendors/{big}/members/"),
        ("Qualifications", "/qualifications/"),
        ("Reports and standings", "/reports/"),
        ("Processing orders", "/processing/"),
    ]
    people["manager"]["reads"] = [
        ("API vendors", "/api/v1/vendors?limit=50"),
        ("API vendors, search", "/api/v1/vendors?q=Technology&limit=20"),
        *[("API vendor", f"/api/v1/vendors/{v}") for v in pick(sample, 10)],
        ("API engagements", "/api/v1/engagements?limit=50"),
        *[("API engagement", f"/api/v1/engagements/{e}") for e in pick(engagements, 6)],
        *[("API vendor members", f"/api/v1/vendors/{v}/members?limit=50") for v in pick(sample, 6)],
        *[("API vendor stability", f"/api/v1/vendors/{v}/stability") for v in pick(sample, 4)],
        ("API engagement eligibility", f"/api/v1/engagements/{engagement}/eligibility"),
        ("API me", "/api/v1/me"),
        *[("API document download", f"/api/v1/documents/{d}") for d in documents],
    ]
    people["vendor"]["pages"] = [
        ("Dashboard", "/"),
        ("Vendor detail", f"/vendors/{home_vendor}/"),
        ("Vendor roster", f"/teams/vendors/{home_vendor}/members/"),
        ("Qualifications", "/qualifications/"),
    ]
    people["vendor"]["reads"] = [
        ("API vendors", "/api/v1/vendors?limit=50"),
        ("API vendor", f"/api/v1/vendors/{home_vendor}"),
        ("API vendor members", f"/api/v1/vendors/{home_vendor}/members?limit=50"),
        ("API vendor stability", f"/api/v1/vendors/{home_vendor}/stability"),
        ("API me", "/api/v1/me"),
    ]
    return {"manager": people["manager"], "vendor": people["vendor"], "own": own}


def service_times(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Each page and API read of the plan timed by one client alone (after one warm-up), as the load client weighs
    them: four clients in five are the manager, one the vendor's user; half of the reads are pages, half API reads,
    each list's entries equally likely. What it costs to answer the mix, without the queueing of the load."""
    base = plan["hosts"][0]
    rows = []
    for persona, share in (("manager", 0.8), ("vendor", 0.2)):
        person = plan[persona]
        for kind, api in (("pages", False), ("reads", True)):
            entries = person[kind]
            headers = (
                {"Authorization": f"Bearer {person['token']}"} if api else {"Cookie": f"sessionid={person['session']}"}
            )
            for name, path in entries:
                runs = []
                for attempt in range(ALONE_RUNS + 1):
                    address = base + urllib.parse.quote(path, safe="/?&=%:")  # e.g. a search for 科技
                    request = urllib.request.Request(address, headers=headers)  # noqa: S310
                    began = time.perf_counter()
                    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our loopback server
                        response.read()
                    if attempt:  # the first is the warm-up
                        runs.append(1000 * (time.perf_counter() - began))
                runs.sort()
                rows.append(
                    {
                        "persona": persona,
                        "name": name,
                        "path": path,
                        "median_ms": round(runs[len(runs) // 2], 1),
                        "weight": share * 0.5 / len(entries),
                    }
                )
    # The same path listed several times (e.g. eight vendors' pages) is one row per path; merge rows by name.
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["persona"], row["name"])
        if key in merged:
            total = merged[key]["weight"] + row["weight"]
            merged[key]["median_ms"] = round(
                (merged[key]["median_ms"] * merged[key]["weight"] + row["median_ms"] * row["weight"]) / total, 1
            )
            merged[key]["weight"] = total
        else:
            merged[key] = {k: v for k, v in row.items() if k != "path"}
    return list(merged.values())


def clean_up(delete_files: bool) -> dict[str, int]:
    """Remove what the load wrote: its people (and their evidence), its vendors; the benchmark data stays as it was."""
    members = TeamMember.objects.filter(employee_number__startswith=LOAD_MEMBER_PREFIX)
    documents = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(TeamMember), object_id__in=members.values("pk")
    )
    names = list(documents.values_list("file", flat=True))
    with transaction.atomic():
        removed = {"documents": documents.delete()[0]}
        removed["people"] = members.delete()[0]
        removed["vendors"] = Vendor.objects.filter(registration_number__startswith=LOAD_VENDOR_PREFIX).delete()[0]
    if delete_files:
        for name in names:
            default_storage.delete(name)
    return removed


# -------------------------------------------------------------------------------------------------------- the run


def run(portfolio: Any, *, clients: int, seconds: float, instances: int, workers: int | None, log: Log) -> LoadRun:
    if not 1 <= clients <= MAX_CLIENTS or not 1 <= seconds <= MAX_SECONDS or not 1 <= instances <= MAX_INSTANCES:
        raise CommandError(
            f"Keep the load bounded: 1-{MAX_CLIENTS} clients, 1-{MAX_SECONDS} seconds, 1-{MAX_INSTANCES} instances."
        )
    if importlib.util.find_spec("locust") is None:  # never imported here: it patches the standard library
        raise CommandError('The load run needs locust: pip install -e ".[load]"')
    workers = workers or default_workers()
    database = f"{connection.vendor} {'.'.join(str(p) for p in connection.get_database_version())}"
    clean_up(delete_files=False)  # what an interrupted run may have left
    workdir = Path(tempfile.mkdtemp(prefix="load-", dir=settings.DATA_DIR))
    try:
        with (
            object_store(instances, workdir, log) as (store_env, store),
            serve(instances, workers, workdir, store_env, log) as servers,
        ):
            plan = make_plan(portfolio, servers[0].url, clients)
            plan.update(hosts=[s.url for s in servers], clients=clients, seconds=seconds)
            (workdir / "plan.json").write_text(json.dumps(plan))
            log("  each read alone …")
            alone = service_times(plan)
            log(f"  {clients} clients for {seconds:g} s …")
            before = os.getloadavg()
            workers_before = _cpu_seconds(w["pid"] for w in web_workers_memory(servers))
            children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", f"{__package__}.load_client", workdir / "plan.json", workdir / "out.json"],
                capture_output=True,
                text=True,
                check=False,
                timeout=seconds + 300,
            )
            after = os.getloadavg()
            children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            client_cpu = (children_after.ru_utime + children_after.ru_stime) - (
                children_before.ru_utime + children_before.ru_stime
            )
            if result.returncode != 0:
                raise CommandError(f"The load client failed:\n{result.stderr[-3000:]}")
            memory = web_workers_memory(servers)
            server_cpu = _cpu_seconds(w["pid"] for w in memory) - workers_before
        errors = sum(_server_errors(s.log_file) for s in servers)
        client = json.loads((workdir / "out.json").read_text())
        run_ = LoadRun(
            database=database,
            instances=instances,
            workers=workers,
            threads=THREADS_PER_WORKER,
            object_store=store,
            client=client,
            workers_memory=memory,
            load_before=before,
            load_after=after,
            cores=os.cpu_count() or 0,
            server_errors=errors,
            server_cpu_seconds=server_cpu,
            client_cpu_seconds=client_cpu,
            alone=alone,
        )
    finally:
        # Files in a throwaway object store went with it; the data dir's or a configured store's are removed.
        removed = clean_up(delete_files=bool(os.environ.get("OUTSOURCING_S3_BUCKET")) or instances == 1)
        log(f"  removed what the load wrote: {removed}")
        shutil.rmtree(workdir, ignore_errors=True)
    return run_


def _server_errors(log_file: Path) -> int:
    """Answers of 500 and above in the access log of an instance."""
    count = 0
    for line in log_file.read_text(errors="replace").splitlines():
        parts = line.split('" ')
        if len(parts) > 1 and parts[1][:1] == "5" and parts[1][:3].isdigit():
            count += 1
    return count


def handle(command: Any, portfolio: Any, counts: str, options: dict[str, Any]) -> None:
    """The `--load` branch of the benchmark command: run, print JSON and the Markdown section, append it."""
    result = run(
        portfolio,
        clients=options["load_clients"],
        seconds=options["load_seconds"],
        instances=options["load_instances"],
        workers=options["load_workers"],
        log=command.stdout.write,
    )
    report = result.markdown(options["title"], counts)
    command.stdout.write("\n" + report)
    command.stdout.write("LOAD-RESULT " + json.dumps(result.as_dict()))
    if options["output"]:
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write("\n" + report)
