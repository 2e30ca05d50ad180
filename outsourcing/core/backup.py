"""Backup and restore: one archive with a consistent snapshot of the database, every stored file its records
refer to, the data dir's keys, and a manifest of SHA-256 checksums.

The archive is a tar file:

    manifest.json            {"format", "created_at", "engine", "entries": {name: sha256}} (written last)
    database.sqlite3         SQLite: a copy made with SQLite's online backup API (one read transaction)
    database.dump            PostgreSQL: `pg_dump --format=custom` of an exported snapshot
    files/<storage name>     every file named by a FileField in the snapshot's records, read through Django's
                             storage API: from the data dir, or from the object store when files live there
    keys/<name>              the data dir's keys (the generated secret key and identity-hash key)

Consistency: the list of files is read from the snapshot itself (the SQLite copy, or the PostgreSQL transaction
whose snapshot pg_dump is given), so the archive holds exactly the files of the records it holds. A record is
committed only after its file is stored, so every such file exists when the snapshot is taken.

`restore` verifies every checksum before it writes anything, and writes only into an empty target: a database
without tables, no stored files (in the data dir, or in the configured bucket and prefix of the object store),
and a data dir holding at most a freshly generated key (replaced by the archive's). Files are written back through
the storage API, so an archive taken from local files restores into an object store and the other way round.
"""

from __future__ import annotations

import contextlib
import datetime
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections, models

FORMAT = 1
MANIFEST = "manifest.json"
KEY_FILES = ("secret_key", "identity_key")  # the secret key, and the key of the identity numbers' keyed hash
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Why a backup or a restore cannot go on, in words for the person running it."""


def _sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of every model: where records name their stored files."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model._meta.db_table, str(field.column)))
    return found


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def find_pg_tool(name: str) -> str:
    """pg_dump / pg_restore / psql: on the PATH, else the newest under /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]), reverse=True
    )
    if not candidates:
        raise BackupError(f"{name} was not found (install the PostgreSQL client tools).")
    return candidates[0]


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _referenced_names(rows: Iterator[Any]) -> set[str]:
    return {str(name) for (name,) in rows if name}


@contextlib.contextmanager
def _snapshot(workdir: Path) -> Iterator[tuple[Path, set[str]]]:
    """A consistent copy of the database in `workdir` and the storage names of the files its records name."""
    columns = file_columns()
    if _engine() == "sqlite":
        target = workdir / "database.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        try:
            copy = sqlite3.connect(str(target))
            with copy:
                source.backup(copy)  # one step: a single read transaction, so one moment in time
            copy.close()
        finally:
            source.close()
        names: set[str] = set()
        reader = sqlite3.connect(str(target))
        try:
            for table, column in columns:
                names |= _referenced_names(reader.execute(f'SELECT "{column}" FROM "{table}"'))  # noqa: S608
        finally:
            reader.close()
        yield target, names
        return
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    db = settings.DATABASES["default"]
    target = workdir / "database.dump"
    parts = {"dbname": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER")}
    conninfo = make_conninfo("", **{k: v for k, v in {**parts, "password": db.get("PASSWORD")}.items() if v})
    with psycopg.connect(conninfo) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        env, args = _pg_env_and_args()
        result = subprocess.run(  # noqa: S603
            [
                find_pg_tool("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={row[0]}",
                f"--file={target}",
                str(db["NAME"]),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        names = set()
        for table, column in columns:
            query = sql.SQL("SELECT {} FROM {}").format(sql.Identifier(column), sql.Identifier(table))
            names |= _referenced_names(conn.execute(query))
        conn.rollback()
    yield target, names


def _add_file(archive: tarfile.TarFile, entries: dict[str, str], name: str, path: Path) -> None:
    with path.open("rb") as stream:
        entries[name] = _sha256_of(stream)
    archive.add(str(path), arcname=name, recursive=False)


class _Hashing(io.RawIOBase):
    """A read-only stream that hashes what passes through it: a stored file is read once, into the archive."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _add_stored(archive: tarfile.TarFile, entries: dict[str, str], storage: Storage, name: str) -> None:
    """Stream one stored file (data dir or object store) into the archive, hashing it on the way."""
    info = tarfile.TarInfo(f"files/{name}")
    info.size = storage.size(name)
    info.mode = 0o600
    with storage.open(name, "rb") as stream:
        hashing = _Hashing(stream)
        archive.addfile(info, hashing)  # type: ignore[arg-type]
    entries[info.name] = hashing.digest.hexdigest()


def _storage_place(storage: Storage) -> str:
    """Where the storage keeps files, in words for a message."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        prefix = getattr(storage, "location", "")
        return f"The object store's bucket {bucket}" + (f" (prefix {prefix}/)" if prefix else "")
    return str(getattr(storage, "location", "The file storage"))  # the data dir's files folder


def _holds_files(storage: Storage, folder: str = "") -> bool:
    """Whether the storage holds any file (a walk that stops at the first one)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return False  # the data dir's files folder does not exist yet
    if files:
        return True
    return any(_holds_files(storage, f"{folder}/{sub}" if folder else sub) for sub in folders)


def backup(destination: Path) -> dict[str, Any]:
    """Write the archive to `destination` (through a temporary file: a half-written archive never has the name)."""
    destination = destination.resolve()
    storage = default_storage  # every FileField of the product stores through it
    entries: dict[str, str] = {}
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as work:
        workdir = Path(work)
        partial = workdir / "archive.tar"
        with tarfile.open(partial, "w") as archive, _snapshot(workdir) as (database, names):
            _add_file(archive, entries, database.name, database)
            missing = []
            for name in sorted(names):
                if not storage.exists(name):
                    missing.append(name)
                    continue
                _add_stored(archive, entries, storage, name)
            if missing:
                raise BackupError(f"{len(missing)} stored files named by records are missing, e.g. {missing[0]}.")
            for key in KEY_FILES:
                if (settings.DATA_DIR / key).is_file():
                    _add_file(archive, entries, f"keys/{key}", settings.DATA_DIR / key)
            manifest = {
                "format": FORMAT,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "engine": _engine(),
                "entries": entries,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        partial.chmod(0o600)  # it holds the secret key
        os.replace(partial, destination)
    return manifest


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def verify(source: Path) -> dict[str, Any]:
    """The archive's manifest, after checking that every entry is listed, safe to unpack and unchanged."""
    try:
        archive = tarfile.open(source, "r")  # noqa: SIM115  # closed by the with below; opening is what may fail
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{source} is not a backup archive: {exc}") from exc
    with archive:
        try:
            member = archive.getmember(MANIFEST)
            stream = archive.extractfile(member)
            assert stream is not None
            manifest = json.loads(stream.read())
        except (KeyError, ValueError, AssertionError) as exc:
            raise BackupError("The archive has no readable manifest.") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
        expected: dict[str, str] = manifest["entries"]
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_member_name(member.name) or member.name not in expected:
                raise BackupError(f"Unexpected entry in the archive: {member.name}")
            stream = archive.extractfile(member)
            assert stream is not None
            if _sha256_of(stream) != expected[member.name]:
                raise BackupError(f"Checksum mismatch: {member.name} is not what was backed up.")
            seen.add(member.name)
        if seen != set(expected):
            raise BackupError(f"Entries listed but missing: {', '.join(sorted(set(expected) - seen)[:5])}")
        if manifest.get("engine") != _engine():
            raise BackupError(f"The archive holds a {manifest.get('engine')} database; this one is {_engine()}.")
    return manifest


def _database_is_empty() -> bool:
    connection = connections["default"]
    name = connection.settings_dict["NAME"]
    if _engine() == "sqlite" and not connection.is_in_memory_db() and not Path(name).exists():  # type: ignore[attr-defined]
        return True  # not even created yet
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def ensure_empty_target() -> None:
    if _holds_files(default_storage):
        raise BackupError(
            f"{_storage_place(default_storage)} already holds stored files: restore into an empty data dir "
            "(or an empty bucket or prefix)."
        )
    if not _database_is_empty():
        raise BackupError("The database already holds tables: restore into an empty database.")


def restore(source: Path) -> dict[str, Any]:
    manifest = verify(source)
    ensure_empty_target()
    connections.close_all()
    with tarfile.open(source, "r") as archive:
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            stream = archive.extractfile(member)
            assert stream is not None
            if member.name.startswith("files/"):
                _save_stored(member.name.removeprefix("files/"), stream, member.size)
            elif member.name.startswith("keys/"):
                target = settings.DATA_DIR / member.name.removeprefix("keys/")
                _write(target, stream)
                target.chmod(0o600)
            elif member.name == "database.sqlite3":
                name = Path(settings.DATABASES["default"]["NAME"])
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)
                _write(name, stream)
            elif member.name == "database.dump":
                _pg_restore(stream)
    return manifest


def _save_stored(name: str, stream: IO[bytes], size: int) -> None:
    """Write one archived file back under its own name through the storage API (data dir or object store)."""
    content = File(stream, name=PurePosixPath(name).name)
    content.size = size
    saved = default_storage.save(name, content)
    if saved != name:
        raise BackupError(f"{name} could not be restored under its own name (stored as {saved}).")


def _write(target: Path, stream: IO[bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        shutil.copyfileobj(stream, out, CHUNK)


def _pg_restore(stream: IO[bytes]) -> None:
    env, args = _pg_env_and_args()
    with tempfile.NamedTemporaryFile(suffix=".dump") as dump:
        shutil.copyfileobj(stream, dump, CHUNK)
        dump.flush()
        result = subprocess.run(  # noqa: S603
            [
                find_pg_tool("pg_restore"),
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                dump.name,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
