"""Time the vendor stability figures on a large roster: `outsourcing bench_stability --people 200000`.

The people are created in a throwaway vendor inside a transaction that is rolled back at the end, so the
database is left as it was.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from outsourcing.teams.choices import EmploymentType
from outsourcing.teams.contributions import team_stability_scores
from outsourcing.teams.models import TeamMember
from outsourcing.teams.stability import vendor_stability
from outsourcing.vendors.models import Vendor


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Generate N people in a throwaway vendor and time the stability computation (nothing is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--end", type=datetime.date.fromisoformat, default=datetime.date(2026, 6, 30))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                self._run(options["people"], options["seed"], options["end"])
                raise _Rollback
        except _Rollback:
            self.stdout.write("Throwaway vendor and people rolled back.")

    def _run(self, people: int, seed: int, end: datetime.date) -> None:
        rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        vendor = Vendor.objects.create(
            name="Benchmark vendor (throwaway)", registration_number=f"BENCH-{seed}-{people}", country="CN"
        )
        origin = datetime.date(2010, 1, 1)
        span = (end - origin).days
        started = time.perf_counter()
        batch: list[TeamMember] = []
        for i in range(people):
            hire = origin + datetime.timedelta(days=rng.randrange(span))
            left = None
            if rng.random() < 0.35:
                left = hire + datetime.timedelta(days=1 + int(rng.expovariate(1 / 700)))
            batch.append(
                TeamMember(
                    vendor=vendor,
                    full_name=f"Person {i}",
                    employee_number=f"B{i:07d}",
                    employment_type=EmploymentType.REGULAR,
                    hire_date=hire,
                    probation_end_date=hire + datetime.timedelta(days=90),
                    left_date=left,
                )
            )
            if len(batch) == 10_000:
                TeamMember.objects.bulk_create(batch)
                batch = []
        if batch:
            TeamMember.objects.bulk_create(batch)
        self.stdout.write(f"Generated {people} people in {time.perf_counter() - started:.2f} s")
        start = end - datetime.timedelta(days=365)
        for attempt in range(1, 4):
            t0 = time.perf_counter()
            figures = vendor_stability(vendor.pk, start, end)
            elapsed = time.perf_counter() - t0
            self.stdout.write(f"vendor_stability run {attempt}: {elapsed * 1000:.0f} ms")
        t0 = time.perf_counter()
        score = team_stability_scores([vendor.pk], None, end)[vendor.pk]
        self.stdout.write(f"team_stability criterion: {(time.perf_counter() - t0) * 1000:.0f} ms")
        self.stdout.write(
            f"headcount {figures.headcount_start} → {figures.headcount_end}, "
            f"separations {figures.separations}, "
            f"turnover {figures.turnover_rate}, average tenure {figures.average_tenure_days} days"
        )
        self.stdout.write("retention " + ", ".join(f"{p['days']}d={p['survival']}" for p in figures.retention))
        self.stdout.write(f"score {score.score}")
