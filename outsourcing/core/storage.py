"""The object store's storage: django-storages' S3 storage, with one botocore model loader per process.

django-storages gives every thread its own boto3 session (sessions and resources are not thread-safe), and every
session parsed the S3 service model again: ~13 MB per thread, so a web worker with eight threads grew from ~150 MB
to ~280 MB once files lived in the object store (measured by `outsourcing benchmark --load`). The model files are
read-only data: here every thread's session still has its own credentials, client and connection pool, but they
share one loader and so one parsed copy of the model.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
import botocore.session
from storages.backends.s3 import S3Storage as BaseS3Storage

_lock = threading.Lock()
_loader: Any = None


def shared_loader() -> Any:
    """The process's one botocore data loader (it caches what it has read)."""
    global _loader
    with _lock:
        if _loader is None:
            _loader = botocore.session.get_session().get_component("data_loader")
        return _loader


class S3Storage(BaseS3Storage):  # type: ignore[misc]
    def _create_session(self) -> boto3.Session:
        core = botocore.session.get_session()
        loader = shared_loader()
        core.register_component("data_loader", loader)
        if self.session_profile:
            session = boto3.Session(profile_name=self.session_profile, botocore_session=core)
        else:
            session = boto3.Session(
                aws_access_key_id=self.access_key,
                aws_secret_access_key=self.secret_key,
                aws_session_token=self.security_token,
                botocore_session=core,
            )
        with _lock:  # boto3 adds its own data folder to the loader's search path on every session: keep it once
            loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))
        return session
