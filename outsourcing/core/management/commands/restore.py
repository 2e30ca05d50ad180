"""`outsourcing restore FILE`: verify a backup archive's checksums, then restore it into an empty data dir and
database (see core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from outsourcing.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty data dir and database, after verifying its checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive written by `outsourcing backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = sum(1 for name in manifest["entries"] if name.startswith("files/"))
        self.stdout.write(f"Restored the backup of {manifest['created_at']}: the database and {files} files.")
