"""The client side of `outsourcing benchmark --load`: locust (headless, library mode) in a process of its own.

Run as `python -m outsourcing.benchmark.load_client PLAN.json RESULT.json` by `benchmark.load`; never imported by
the application (locust patches the standard library with gevent when it is imported, which must not happen in a
process that talks to the database).

The plan names the server addresses (one or several `serve` instances), the number of clients and the seconds,
and what the clients may use: session cookies and bearer tokens made beforehand, and the ids of records to read
and write. Each client is one person working without pause (no think time, so the figures are the capacity):

- 45 % pages as the manager or a vendor's user (dashboard, lists, a vendor, an engagement, teams, reports …);
- 45 % API reads (vendor lists and records, engagements, a vendor's people and stability, document downloads);
- 10 % writes through the API: a member added, a vendor's web address (or, for the vendor's user, a person's title)
  changed, an evidence file uploaded — each client on records of its own, so that no two clients race for one.

Clients are dealt round-robin over the servers (client 0 to the first, client 1 to the second, …), each keeping its
connection as a browser behind a proxy does: the sessions were made by neither server, and the evidence files read
were uploaded through the first, so every other server serves files it never stored. (Alternating each request
between servers instead let a kept-alive connection sit idle past the server's 5 s keep-alive while a slow request
ran at the other one, and a write sent on it just as the server closed it failed: a client's artefact, which a
proxy avoids with an upstream keep-alive shorter than the server's — docs/deployment.md.)
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from itertools import count
from pathlib import Path
from typing import Any

# Importing locust patches the standard library with gevent: this module is only ever run as a program.
import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment

PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # the smallest file the evidence check accepts (ASCII)


def _user_class(plan: dict[str, Any], latencies: list[float], numbers: Any) -> type[FastHttpUser]:
    hosts: list[str] = plan["hosts"]
    manager, vendor = plan["manager"], plan["vendor"]

    class Person(FastHttpUser):
        host = hosts[0]
        wait_time = constant(0)
        network_timeout = 60.0
        connection_timeout = 10.0

        def on_start(self) -> None:
            self.index = next(numbers)
            self.rng = random.Random(self.index)  # noqa: S311 - a reproducible mix, not a secret
            self.host_url = hosts[self.index % len(hosts)]
            # Every fifth client is the big vendor's own user; the others are the owner's manager.
            self.persona = vendor if self.index % 5 == 4 else manager
            own = plan["own"][self.index % len(plan["own"])]
            self.own_vendor, self.own_member = own["vendor"], own["member"]

        def _url(self, path: str) -> str:
            return self.host_url + path

        def _get(self, name: str, path: str, *, api: bool) -> None:
            headers = self._auth(api)
            self.client.get(self._url(path), name=name, headers=headers)

        def _auth(self, api: bool) -> dict[str, str]:
            if api:
                return {"Authorization": f"Bearer {self.persona['token']}"}
            return {"Cookie": f"sessionid={self.persona['session']}"}

        @task(45)
        def page(self) -> None:
            name, path = self.rng.choice(self.persona["pages"])
            self._get(name, path, api=False)

        @task(45)
        def api_read(self) -> None:
            name, path = self.rng.choice(self.persona["reads"])
            self._get(name, path, api=True)

        @task(4)
        def add_member(self) -> None:
            number = f"LOAD-{uuid.uuid4().hex[:12]}"
            body = {
                "full_name": f"Load person {number}",
                "employee_number": number,
                "employment_type": "regular",
                "hire_date": "2024-03-01",
            }
            self.client.post(
                self._url(f"/api/v1/vendors/{self.own_vendor}/members"),
                name="API POST member",
                json=body,
                headers=self._auth(True),
            )

        @task(4)
        def edit(self) -> None:
            """The manager changes its own vendor's web address; the vendor's user its own person's title."""
            if self.persona is vendor:
                path, name, body = f"/api/v1/members/{self.own_member}", "API PATCH member", {"title": "Engineer"}
                body["title"] = f"Engineer {self.rng.randrange(1000)}"
            else:
                path, name = f"/api/v1/vendors/{self.own_vendor}", "API PATCH vendor"
                body = {"website": f"https://load-{self.rng.randrange(10**9)}.example.com"}
            self.client.request("PATCH", self._url(path), name=name, json=body, headers=self._auth(True))

        @task(2)
        def upload_evidence(self) -> None:
            boundary = uuid.uuid4().hex
            body = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nemployment_contract\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="contract.pdf"\r\n'
                f"Content-Type: application/pdf\r\n\r\n{PDF}\r\n--{boundary}--\r\n"
            )
            self.client.post(
                self._url(f"/api/v1/members/{self.own_member}/documents"),
                name="API POST evidence",
                data=body,
                headers={**self._auth(True), "Content-Type": f"multipart/form-data; boundary={boundary}"},
            )

    return Person


def run(plan: dict[str, Any]) -> dict[str, Any]:
    latencies: list[float] = []
    environment = Environment(user_classes=[_user_class(plan, latencies, count())])

    def record(response_time: float, exception: Any, **_kw: Any) -> None:
        latencies.append(response_time)

    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    began = time.monotonic()
    runner.start(plan["clients"], spawn_rate=plan["clients"])  # everyone at once
    gevent.sleep(plan["seconds"])
    runner.quit()  # stops every client, waiting for the requests under way
    elapsed = time.monotonic() - began
    runner.greenlet.join()
    stats = environment.stats
    latencies.sort()

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    by_name = [
        {
            "name": entry.name,
            "method": entry.method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.get_response_time_percentile(0.5),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
        for entry in sorted(stats.entries.values(), key=lambda e: (e.name, e.method))
    ]
    errors = [
        {"name": error.name, "method": error.method, "error": str(error.error), "occurrences": error.occurrences}
        for error in stats.errors.values()
    ]
    return {
        "clients": plan["clients"],
        "seconds": round(elapsed, 1),
        "requests": stats.total.num_requests,
        "failures": stats.total.num_failures,
        "requests_per_second": round(stats.total.num_requests / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(quantile(0.50), 1),
        "p95_ms": round(quantile(0.95), 1),
        "p99_ms": round(quantile(0.99), 1),
        "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "by_name": by_name,
        "errors": errors[:20],
    }


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    Path(sys.argv[2]).write_text(json.dumps(run(plan), indent=1))


if __name__ == "__main__":
    main()
