"""Optimistic concurrency: no change silently overwrites another person's.

Every editable record carries a `version` (the `Versioned` mixin), raised by one on each save. A save is
conditional on the version the writer started from: `UPDATE … WHERE pk = … AND version = …`; when another
writer got there first, nothing is written and `StaleRecord` is raised (inside the action's transaction, so
the whole action is undone).

Which version the writer started from:
- a web form carries the version it was loaded with (`core.forms.ActionForm`); `handle_form` holds it with
  `expecting_version(record, version)` while the action runs;
- the API returns `ETag: "<version>"` on GET of a single record and honours `If-Match` on PATCH, PUT and
  DELETE of the record the address names (412 when it does not match). Without `If-Match` the API works as
  before, still refusing (409) a save that raced another one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

UNSAFE_METHODS = frozenset({"PATCH", "PUT", "DELETE"})
IF_MATCH_FAILED = -1  # an If-Match that names no version this record can have


class StaleRecord(Exception):
    """The record was changed by someone else since the writer loaded it; nothing was written."""

    def __init__(self, record: models.Model) -> None:
        super().__init__(f"{record._meta.label} {record.pk} was changed meanwhile")
        self.record = record


class PreconditionFailed(Exception):
    """An API write's `If-Match` does not name the record's current version."""

    def __init__(self, record: Versioned) -> None:
        super().__init__(f"If-Match does not match {record._meta.label} {record.pk}")
        self.record = record


# (model label, pk) -> (the version the writer started from, whether it came from an If-Match header)
_expected: ContextVar[dict[tuple[str, Any], tuple[int, bool]] | None] = ContextVar("expected_versions", default=None)
_api_request: ContextVar[HttpRequest | None] = ContextVar("api_request", default=None)


def _key(record: models.Model) -> tuple[str, Any]:
    return (record._meta.label, record.pk)


def _expectation(record: models.Model) -> tuple[int, bool] | None:
    expected = _expected.get()
    return expected.get(_key(record)) if expected else None


@contextmanager
def expecting_version(record: models.Model | None, version: int | None, *, from_header: bool = False) -> Iterator[None]:
    """While the block runs, a save of `record` succeeds only if it is still at `version` (None: no condition)."""
    if record is None or version is None or not isinstance(record, Versioned):
        yield
        return
    expected = dict(_expected.get() or {})
    expected[_key(record)] = (version, from_header)
    token = _expected.set(expected)
    try:
        yield
    finally:
        _expected.reset(token)


class Versioned(models.Model):
    """Mixin for editable records: a version raised on every save, and saves conditional on it."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"), default=1, editable=False, help_text=gettext_lazy("Raised by one on every change.")
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            self._check_expected()
            manager = type(self)._base_manager.using(kwargs.get("using") or self._state.db)
            if not manager.filter(pk=self.pk, version=self.version).update(version=self.version + 1):
                if manager.filter(pk=self.pk).exists():
                    raise StaleRecord(self)
            else:
                self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_expected()
        return super().delete(*args, **kwargs)

    def _check_expected(self) -> None:
        expectation = _expectation(self)
        if expectation is not None and expectation[0] != self.version:
            raise PreconditionFailed(self) if expectation[1] else StaleRecord(self)


def etag(record: Versioned) -> str:
    return f'"{record.version}"'


def _if_match_version(header: str, record: Versioned) -> int:
    """The version an If-Match names: the record's own for `*` or a matching tag, otherwise no version."""
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags or etag(record) in tags or f"W/{etag(record)}" in tags:
        return record.version
    return IF_MATCH_FAILED


def note_lookup(record: models.Model) -> None:
    """Called by `core.api.get_visible`: when an API address names this record (its id is the address's last
    part), it is the record an ETag describes and an If-Match speaks of."""
    request = _api_request.get()
    if request is None or not isinstance(record, Versioned):
        return
    if request.path_info.rstrip("/").rsplit("/", 1)[-1] != str(record.pk):
        return
    request.addressed_record = record  # type: ignore[attr-defined]
    header = request.headers.get("If-Match")
    if request.method in UNSAFE_METHODS and header:
        # Only the record the address names: a record of another kind with the same id looked up on the way
        # (the vendor 7 of /vendors/7/contacts/7) is not what the header speaks of.
        expected = {_key(record): (_if_match_version(header, record), True)}
        _expected.set(expected)


class RecordVersionMiddleware:
    """For API requests: remember the request for `note_lookup`, and send the ETag of a single record."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        request_token = _api_request.set(request)
        expected_token = _expected.set(None)
        try:
            response = self.get_response(request)
        finally:
            _expected.reset(expected_token)
            _api_request.reset(request_token)
        record = getattr(request, "addressed_record", None)
        if request.method == "GET" and response.status_code == 200 and isinstance(record, Versioned):
            response["ETag"] = etag(record)
        return response
