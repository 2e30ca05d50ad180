"""`outsourcing backup` taken while 10 clients write restores into a fresh data dir with every record and file,
checksums equal — on SQLite and on PostgreSQL; `restore` refuses tampered archives and non-empty targets."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

PG = "postgres://postgres@127.0.0.1:5432/"
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTSOURCING_", "DJANGO_", "DATABASE_URL"))}
    env["OUTSOURCING_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False, timeout=600)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows_sqlite(path: Path) -> dict[str, set[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    try:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: set(db.execute(f'SELECT * FROM "{t}"')) for t in tables if not t.startswith("sqlite_")}
    finally:
        db.close()


def _rows_pg(dbname: str) -> dict[str, set[tuple[Any, ...]]]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG + dbname) as conn:
        tables = [
            name for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        ]
        return {
            t: {_hashable(row) for row in conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(t)))}
            for t in tables
        }


def _hashable(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(json.dumps(v, sort_keys=True, default=str) if isinstance(v, dict | list) else v for v in row)


def _backup_while_writing(tmp_path: Path, database_url: str | None) -> tuple[Path, dict[str, Any]]:
    archive = tmp_path / "backup.tar"
    result = _run(["-m", "outsourcing.core.tests.backup_scenario", str(archive)], _env(tmp_path / "src", database_url))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["before"] >= 10  # the backup was taken while every writer had already written
    return archive, report


def _check_files(archive: Path, restored: Path, documents: set[tuple[Any, ...]], columns: list[str]) -> None:
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    files = {name.removeprefix("files/"): sha for name, sha in manifest["entries"].items() if name.startswith("files/")}
    stored = {str(p.relative_to(restored / "files")) for p in (restored / "files").rglob("*") if p.is_file()}
    assert stored == set(files)
    for name, sha in files.items():
        assert _sha256(restored / "files" / name) == sha
    file_index, sha_index = columns.index("file"), columns.index("sha256")
    assert len(documents) == len(files) > 0
    for row in documents:  # every document record has its file, and its recorded checksum is the file's
        assert _sha256(restored / "files" / row[file_index]) == row[sha_index]


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite run checks SQLite backups")
def test_a_backup_taken_while_10_clients_write_restores_everything_on_sqlite(tmp_path: Path) -> None:
    archive, report = _backup_while_writing(tmp_path, None)
    restored = tmp_path / "dst"
    result = _run(["-m", "outsourcing", "restore", str(archive)], _env(restored))
    assert result.returncode == 0, result.stderr
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path / "snapshot", filter="data")
    snapshot = _rows_sqlite(tmp_path / "snapshot" / "database.sqlite3")
    rows = _rows_sqlite(restored / "outsourcing.sqlite3")
    assert rows == snapshot  # every record, table by table
    source = _rows_sqlite(tmp_path / "src" / "outsourcing.sqlite3")
    assert all(rows[t] <= source[t] for t in rows)  # nothing that was never written
    assert report["before"] <= len(rows["vendors_vendor"]) <= report["final"]
    columns = [
        c[1] for c in sqlite3.connect(restored / "outsourcing.sqlite3").execute("PRAGMA table_info(documents_document)")
    ]
    _check_files(archive, restored, rows["documents_document"], columns)
    for key in ("secret_key", "identity_key"):  # the archive's keys replaced the freshly generated ones
        assert (restored / key).read_text() == (tmp_path / "src" / key).read_text()


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG + "postgres", connect_timeout=3):
            return True
    except Exception:
        return False


# Each engine's run checks its own engine (CI runs the suite on both); each takes about a minute of migrations.
@pytest.mark.skipif(not ON_POSTGRESQL or not _pg_available(), reason="the PostgreSQL run checks PostgreSQL backups")
def test_a_backup_taken_while_10_clients_write_restores_everything_on_postgresql(tmp_path: Path) -> None:
    import psycopg

    suffix = f"{os.getpid()}"
    source_db, target_db = f"om_backup_src_{suffix}", f"om_backup_dst_{suffix}"
    with psycopg.connect(PG + "postgres", autocommit=True) as admin:
        for name in (source_db, target_db):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        archive, report = _backup_while_writing(tmp_path, PG + source_db)
        restored = tmp_path / "dst"
        result = _run(["-m", "outsourcing", "restore", str(archive)], _env(restored, PG + target_db))
        assert result.returncode == 0, result.stderr
        rows, source = _rows_pg(target_db), _rows_pg(source_db)
        assert set(rows) == set(source)
        assert all(rows[t] <= source[t] for t in rows)  # each restored record is exactly as written
        assert report["before"] <= len(rows["vendors_vendor"]) <= report["final"]
        with psycopg.connect(PG + target_db) as conn:
            cursor = conn.execute("SELECT * FROM documents_document LIMIT 0")
            columns = [c.name for c in cursor.description or []]
        _check_files(archive, restored, rows["documents_document"], columns)
        # A consistent snapshot: every member in it has its vendor, every document its member.
        members = {row[0] for row in rows["teams_teammember"]}
        assert len(members) >= len(rows["documents_document"])
    finally:
        with psycopg.connect(PG + "postgres", autocommit=True) as admin:
            for name in (source_db, target_db):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _archive(path: Path, entries: dict[str, bytes], manifest: dict[str, Any] | None) -> Path:
    import io

    with tarfile.open(path, "w") as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if manifest is not None:
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(entries: dict[str, bytes], engine: str = "sqlite") -> dict[str, Any]:
    return {
        "format": 1,
        "created_at": "2026-01-01T00:00:00+00:00",
        "engine": engine,
        "entries": {name: hashlib.sha256(data).hexdigest() for name, data in entries.items()},
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("tampered", "Checksum mismatch"),
        ("extra", "Unexpected entry"),
        ("traversal", "Unexpected entry"),
        ("missing", "missing"),
        ("no manifest", "no readable manifest"),
    ],
)
def test_restore_verifies_the_manifest_before_writing(tmp_path: Path, settings: Any, case: str, message: str) -> None:
    from outsourcing.core.backup import BackupError, verify

    good = {"database.sqlite3": b"db", "files/evidence/a": b"file"}
    entries, manifest = dict(good), _manifest(good, engine="postgresql" if ON_POSTGRESQL else "sqlite")
    if case == "tampered":
        entries["files/evidence/a"] = b"changed"
    elif case == "extra":
        entries["files/evidence/b"] = b"smuggled"
    elif case == "traversal":
        entries["../outside"] = b"x"
        manifest["entries"]["../outside"] = hashlib.sha256(b"x").hexdigest()
    elif case == "missing":
        del entries["files/evidence/a"]
    archive = _archive(tmp_path / "a.tar", entries, None if case == "no manifest" else manifest)
    with pytest.raises(BackupError, match=message):
        verify(archive)


def test_restore_refuses_a_data_dir_that_holds_files(tmp_path: Path, settings: Any) -> None:
    from outsourcing.core.backup import BackupError, ensure_empty_target

    settings.MEDIA_ROOT = str(tmp_path / "files")
    (tmp_path / "files" / "evidence").mkdir(parents=True)
    (tmp_path / "files" / "evidence" / "kept").write_bytes(b"someone's evidence")
    with pytest.raises(BackupError, match="already holds stored files"):
        ensure_empty_target()


@pytest.mark.django_db
def test_restore_refuses_a_database_with_tables(tmp_path: Path, settings: Any) -> None:
    from outsourcing.core.backup import BackupError, ensure_empty_target

    settings.MEDIA_ROOT = str(tmp_path / "files")
    with pytest.raises(BackupError, match="already holds tables"):
        ensure_empty_target()
