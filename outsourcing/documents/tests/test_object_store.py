"""Files in an S3-compatible object store (OUTSOURCING_S3_BUCKET), against moto's server on a loopback port:
evidence is stored in the bucket and downloaded only through the permission check, a roster import is read from
the bucket, and a backup taken with files in the bucket restores them into another (empty) bucket."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.settings import file_storage

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

KEYS = {"OUTSOURCING_S3_ACCESS_KEY_ID": "testing", "OUTSOURCING_S3_SECRET_ACCESS_KEY": "testing-secret"}
PDF = b"%PDF-1.4\n" + b"evidence " * 100 + b"\n%%EOF\n"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server in a thread of this process, on a free loopback port (no network)."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["OUTSOURCING_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["OUTSOURCING_S3_SECRET_ACCESS_KEY"],
    )


def _bucket(endpoint: str) -> str:
    name = f"om-{uuid.uuid4().hex[:12]}"
    _client(endpoint).create_bucket(Bucket=name)
    return name


def _env_for(endpoint: str, bucket: str) -> dict[str, str]:
    return {"OUTSOURCING_S3_BUCKET": bucket, "OUTSOURCING_S3_ENDPOINT_URL": endpoint, **KEYS}


def _objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    client = _client(endpoint)
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)  # a listing stops at 1,000 keys
    listed = [item for page in pages for item in page.get("Contents", [])]
    return {item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read() for item in listed}


@pytest.fixture
def bucket(settings: Any, s3_endpoint: str) -> str:
    """The default storage of this test is a fresh bucket of the moto server, configured as a deployment would."""
    name = _bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(_env_for(s3_endpoint, name))}
    return name


def test_the_data_dir_stays_the_default_and_the_bucket_setting_switches_to_s3() -> None:
    assert file_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    configured = file_storage({"OUTSOURCING_S3_BUCKET": "files", "OUTSOURCING_S3_PREFIX": "/om/"})
    assert configured["BACKEND"] == "outsourcing.core.storage.S3Storage"
    assert configured["OPTIONS"]["bucket_name"] == "files"
    assert configured["OPTIONS"]["location"] == "om"
    assert configured["OPTIONS"]["default_acl"] is None  # never public
    assert "endpoint_url" not in configured["OPTIONS"]  # AWS itself, keys from boto3's own chain


def test_an_endpoint_that_is_not_an_address_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="OUTSOURCING_S3_ENDPOINT_URL"):
        file_storage({"OUTSOURCING_S3_BUCKET": "files", "OUTSOURCING_S3_ENDPOINT_URL": "minio:9000"})


@pytest.mark.django_db
def test_evidence_lives_in_the_bucket_and_is_downloaded_only_through_the_permission_check(
    bucket: str, s3_endpoint: str, settings: Any, api: Any, vendor_a_user: Any, vendor_b_user: Any, manager: Any
) -> None:
    from outsourcing.teams.actions import do_create_member

    member = do_create_member(
        vendor=vendor_a_user.vendor,
        acting_user=manager,
        full_name="Li Lei",
        employee_number="S3-1",
        employment_type="regular",
        hire_date="2024-01-01",
    )
    response = api(vendor_a_user).post(
        f"/members/{member.pk}/documents",
        {"kind": "employment_contract"},
        files={"file": SimpleUploadedFile("contract.pdf", PDF)},
    )
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    stored = _objects(s3_endpoint, bucket)
    assert list(stored.values()) == [PDF]  # in the bucket …
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))  # … not on disk
    download = api(manager).get(f"/documents/{document_id}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # streamed by the application, no redirect to the store
    assert "Location" not in download.headers
    assert api(vendor_b_user).get(f"/documents/{document_id}").status_code == 404


@pytest.mark.django_db
def test_a_roster_import_is_stored_in_and_read_from_the_bucket(
    bucket: str, s3_endpoint: str, api: Any, vendor_a_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from outsourcing.teams.models import ImportJob, TeamMember

    rows = "employee_number,full_name,employment_type,hire_date\nS3-10,Wang Fang,regular,2024-02-01\n"
    rows += "S3-11,Zhang Wei,contractor,2024-03-01\n"
    vendor = vendor_a_user.vendor
    with django_capture_on_commit_callbacks(execute=True):  # the import task starts after the commit
        response = api(vendor_a_user).post(
            f"/vendors/{vendor.pk}/roster-imports", {}, files={"file": SimpleUploadedFile("roster.csv", rows.encode())}
        )
    assert response.status_code == 201, response.content
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == "done", job.errors
    # Read from the bucket (the default storage here has no local files) …
    assert set(TeamMember.objects.filter(vendor=vendor).values_list("employee_number", flat=True)) >= {"S3-10", "S3-11"}
    # … and removed from it once imported: a roster may hold identity numbers in clear.
    assert job.file.name == ""
    assert not [key for key in _objects(s3_endpoint, bucket) if key.endswith(".csv") or "import" in key]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False, timeout=600)


def _process_env(data_dir: Path, endpoint: str, bucket: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTSOURCING_", "DJANGO_", "DATABASE_URL"))}
    return {**env, "OUTSOURCING_DATA_DIR": str(data_dir), **_env_for(endpoint, bucket)}


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="checked once, on SQLite")
def test_a_backup_with_files_in_the_bucket_restores_them_into_an_empty_bucket(tmp_path: Path, s3_endpoint: str) -> None:
    source_bucket, target_bucket = _bucket(s3_endpoint), _bucket(s3_endpoint)
    archive = tmp_path / "backup.tar"
    source = _process_env(tmp_path / "src", s3_endpoint, source_bucket)
    result = _run(["-m", "outsourcing.core.tests.backup_scenario", str(archive)], source)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1])["errors"] == []
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    archived = {k.removeprefix("files/"): sha for k, sha in manifest["entries"].items() if k.startswith("files/")}
    assert archived  # the writers' evidence files, read from the source bucket
    in_source = _objects(s3_endpoint, source_bucket)
    assert all(hashlib.sha256(in_source[name]).hexdigest() == sha for name, sha in archived.items())

    target = _process_env(tmp_path / "dst", s3_endpoint, target_bucket)
    result = _run(["-m", "outsourcing", "restore", str(archive)], target)
    assert result.returncode == 0, result.stderr[-3000:]
    restored = _objects(s3_endpoint, target_bucket)
    assert {name: hashlib.sha256(body).hexdigest() for name, body in restored.items()} == archived

    # A bucket that already holds files is not a restore target: nothing is written to it.
    again = _process_env(tmp_path / "dst2", s3_endpoint, target_bucket)
    result = _run(["-m", "outsourcing", "restore", str(archive)], again)
    assert result.returncode != 0
    assert f"bucket {target_bucket}" in result.stderr and "already holds stored files" in result.stderr
    assert not (tmp_path / "dst2" / "outsourcing.sqlite3").exists() or _objects(s3_endpoint, target_bucket) == restored


def test_every_thread_has_its_own_connection_but_the_process_parses_the_s3_model_once(bucket: str) -> None:
    import threading

    from django.core.files.storage import default_storage

    connections: list[Any] = []
    threads = [threading.Thread(target=lambda: connections.append(default_storage.connection)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in connections}) == 3  # boto3 resources are not thread-safe: one each
    loaders = {id(c.meta.client._loader) for c in connections}
    assert len(loaders) == 1  # … but one parsed service model (~13 MB a thread otherwise)
    paths = connections[0].meta.client._loader.search_paths
    assert len(paths) == len(set(paths))
