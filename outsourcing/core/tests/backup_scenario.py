"""Run by test_backup_restore in a process of its own: migrate a fresh data dir, start 10 writer threads (each
creating vendors, members and evidence files through the actions), take `outsourcing backup ARCHIVE` while
they write, then stop them. Prints a JSON line with what was written before and after the backup."""

from __future__ import annotations

import faulthandler
import json
import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, close_old_connections, connection  # noqa: E402

WRITERS = 10


def main(archive: str) -> None:
    faulthandler.dump_traceback_later(400, exit=True)  # a hang ends with every thread's stack, not a silent wait
    call_command("migrate", verbosity=0)
    from outsourcing.accounts.models import User
    from outsourcing.documents.actions import do_attach_document
    from outsourcing.teams.actions import do_create_member
    from outsourcing.vendors.actions import do_create_vendor
    from outsourcing.vendors.models import Vendor

    owner = User.objects.create(username="writer", role="manager")
    stop = threading.Event()
    written = [0] * WRITERS
    started = threading.Barrier(WRITERS + 1)
    first_write = [threading.Event() for _ in range(WRITERS)]
    errors: list[str] = []

    def write(index: int) -> None:
        started.wait()
        n = 0
        try:
            while not stop.is_set() or n < 3:
                n += 1
                try:
                    vendor = do_create_vendor(
                        acting_user=owner,
                        name=f"Writer {index} vendor {n}",
                        registration_number=f"W{index}-{n}",
                        country="SG",
                    )
                    member = do_create_member(
                        vendor=vendor,
                        acting_user=owner,
                        full_name=f"Person {index}-{n}",
                        employee_number=f"E{n}",
                        employment_type="regular",
                        hire_date="2024-01-01",
                    )
                    content = b"%PDF-1.4\n" + f"{index}-{n}".encode() * 200 + b"\n%%EOF\n"
                    do_attach_document(
                        member,
                        upload=SimpleUploadedFile(f"c{index}-{n}.pdf", content),
                        kind="employment_contract",
                        acting_user=owner,
                    )
                    written[index] += 1
                    first_write[index].set()
                except OperationalError:  # SQLite's "database is locked" under 10 writers: try again afresh
                    connection.close()
                    continue
        except Exception as exc:  # reported, and the test fails on it
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    started.wait()
    for event in first_write:  # every writer has committed once: the backup is taken in the middle of the writing
        event.wait(timeout=120)
    close_old_connections()
    before = Vendor.objects.count()
    call_command("backup", archive)
    after_backup = Vendor.objects.count()
    stop.set()
    for thread in threads:
        thread.join()
    print(
        json.dumps({"before": before, "after_backup": after_backup, "final": Vendor.objects.count(), "errors": errors})
    )


if __name__ == "__main__":
    main(sys.argv[1])
