"""`serve` keeps its background processes running: one that exits is started again; stop ends them all."""

import sys
import threading

from outsourcing.core.management.commands.serve import background_processes
from outsourcing.core.supervisor import ProcessSpec, Supervisor


def test_a_process_that_exits_is_started_again():
    started = threading.Event()
    starts = []

    def on_start(spec, restarts):
        starts.append((spec.name, restarts))
        if restarts >= 2:
            started.set()

    supervisor = Supervisor(
        [ProcessSpec("quitter", [sys.executable, "-c", "raise SystemExit(3)"])],
        min_delay=0,
        poll=0.01,
        on_start=on_start,
    )
    supervisor.start()
    try:
        assert started.wait(60)
    finally:
        supervisor.stop()
    assert starts[:3] == [("quitter", 0), ("quitter", 1), ("quitter", 2)]


def test_stopping_ends_every_process_it_runs():
    forever = [sys.executable, "-c", "import threading; threading.Event().wait()"]
    supervisor = Supervisor([ProcessSpec("a", forever), ProcessSpec("b", forever)], poll=0.01)
    supervisor.start()
    processes = [child.process for child in supervisor.children]
    supervisor.stop(timeout=30)
    assert all(p is not None and p.poll() is not None for p in processes)


def test_a_process_failing_straight_away_is_restarted_ever_more_slowly():
    supervisor = Supervisor([ProcessSpec("x", ["true"])], min_delay=1, max_delay=4, healthy_after=60)
    child = supervisor.children[0]
    delays = []
    for _ in range(4):
        child.delay = child.delay if delays else 0
        child.process = type("Done", (), {"poll": lambda self: 1})()
        child.started_at = 10**9  # "just now": it failed straight away
        supervisor._stopping.set()  # compute the next start without starting anything
        supervisor._check(child)
        delays.append(child.delay)
    assert delays == [1, 2, 4, 4]


def test_serve_supervises_the_database_worker(settings):
    settings.TASKS_BACKEND = "database"
    assert [spec.argv[-1] for spec in background_processes()] == ["worker", "scheduler"]
    assert [spec.argv[-1] for spec in background_processes(no_worker=True)] == ["scheduler"]
    assert background_processes(no_worker=True, no_scheduler=True) == []
