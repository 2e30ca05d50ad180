"""`outsourcing backup FILE`: one archive with a consistent snapshot of the database, every stored file its
records refer to, the data dir's keys and a manifest of SHA-256 checksums (see core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from outsourcing.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup archive (database snapshot, stored files, keys, checksums) while the service runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to write (a tar file).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = sum(1 for name in manifest["entries"] if name.startswith("files/"))
        self.stdout.write(f"Backup written to {options['file']}: the {manifest['engine']} database, {files} files.")
