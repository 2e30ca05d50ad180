"""Audit trail helpers on top of django-auditlog.

auditlog records every create, change and delete of a registered model with the values before and after.
Its middleware names the web user; `acting_as` names the actor everywhere else (API tokens, the command
line, imports and background jobs), so that no change is recorded without its author.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_value, set_actor
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.encoding import smart_str

from outsourcing.core.bulk import PreparedWrite, prepare_insert


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every audited change inside the block to `user`.

    auditlog's `set_actor` leaves its context behind when it ends, so the surrounding one (the web
    request's, or none) is put back afterwards; otherwise a second `acting_as` outside a request would
    write into a context whose receiver is gone, and the actor would be lost.
    """
    previous = auditlog_value.get(None)
    remote_addr = previous.get("remote_addr") if previous else None
    try:
        with set_actor(user if getattr(user, "pk", None) else None, remote_addr=remote_addr):
            yield
    finally:
        auditlog_value.set(previous)


def entries_for(*objects: models.Model) -> models.QuerySet[LogEntry]:
    """Audit entries of these objects, newest first."""
    query = models.Q(pk__in=[])
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj.__class__)
        query |= models.Q(content_type=ct, object_pk=str(obj.pk))
    return LogEntry.objects.filter(query).select_related("actor", "content_type").order_by("-timestamp")


def entries_for_queryset(queryset: models.QuerySet[Any]) -> models.QuerySet[LogEntry]:
    """Audit entries of every object in `queryset` (a set-based lookup, not one query per object)."""
    ct = ContentType.objects.get_for_model(queryset.model)
    ids = queryset.annotate(_pk_text=Cast("pk", models.CharField())).values("_pk_text")
    return LogEntry.objects.filter(content_type=ct, object_pk__in=ids)


def attribute_request_to(user: Any) -> None:
    """Name `user` as the actor of the rest of this request (the API authenticates after the middleware)."""
    current = auditlog_value.get(None)
    if current is not None:
        current["actor"] = user


@dataclass
class PreparedAudit:
    """Audit entries of a bulk write, prepared before its transaction; `execute(ids)` writes them in it.

    Entries of created records get their record's id only at `execute` (the database assigns it).
    """

    write: PreparedWrite
    created: int
    pk_index: int
    id_index: int

    def execute(self, created_ids: Sequence[Any]) -> int:
        if len(created_ids) != self.created:
            raise ValueError("One id is needed for every created record.")
        for row, pk in zip(self.write.rows, created_ids, strict=False):
            row[self.pk_index] = str(pk)
            row[self.id_index] = pk if isinstance(pk, int) else None
        self.write.execute()
        return len(self.write.rows)


def prepare_bulk_audit(
    created: Sequence[models.Model], updated: Sequence[tuple[models.Model, models.Model]], actor: Any
) -> PreparedAudit:
    """Audit entries for records written in bulk, as auditlog writes them one by one (values before and
    after, the actor, the correlation id). Bulk writes send no save signals, so auditlog would record
    nothing. `updated` holds (before, after) pairs; a pair without a change gets no entry.
    """
    actor = actor if getattr(actor, "pk", None) else None
    context = auditlog_value.get(None) or {}
    now = timezone.now()
    cid = get_cid()
    json_changes = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)

    def entry(obj: models.Model, action: int, changes: Any) -> LogEntry:
        return LogEntry(
            content_type=ContentType.objects.get_for_model(obj.__class__),
            object_pk=str(obj.pk),
            object_id=obj.pk if isinstance(obj.pk, int) else None,
            object_repr=smart_str(obj),
            action=action,
            changes=changes,
            actor=actor,
            actor_email=getattr(actor, "email", None),
            remote_addr=context.get("remote_addr"),
            cid=cid,
            timestamp=now,
        )

    entries: list[LogEntry] = []
    for obj in created:
        fields = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
        changes = model_instance_diff(None, obj, fields_to_check=fields, use_json_for_changes=json_changes)
        entries.append(entry(obj, LogEntry.Action.CREATE, changes))
    for before, after in updated:
        changes = model_instance_diff(before, after, use_json_for_changes=json_changes)
        if changes:
            entries.append(entry(after, LogEntry.Action.UPDATE, changes))
    columns = [f.attname for f in LogEntry._meta.concrete_fields if not f.primary_key]
    return PreparedAudit(
        write=prepare_insert(entries),
        created=len(created),
        pk_index=columns.index("object_pk"),
        id_index=columns.index("object_id"),
    )
