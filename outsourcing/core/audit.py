"""Audit trail helpers on top of django-auditlog.

auditlog records every create, change and delete of a registered model with the values before and after.
Its middleware names the web user; `acting_as` names the actor everywhere else (API tokens, the command
line, imports and background jobs), so that no change is recorded without its author.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_value, set_actor
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
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

    The entries are the ones auditlog's `model_instance_diff` gives (pinned by a test), worked out with the
    field list and value readers decided once per model (`_DiffPlan`) and written as rows straight into one
    prepared INSERT: an import of 10,000 people spent most of its time building LogEntry objects.
    """
    actor = actor if getattr(actor, "pk", None) else None
    context = auditlog_value.get(None) or {}
    now = timezone.now()
    cid = get_cid()
    json_changes = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    connection = connections["default"]
    changes_field = LogEntry._meta.get_field("changes")
    columns = [f.attname for f in LogEntry._meta.concrete_fields if not f.primary_key]
    index = {name: columns.index(name) for name in ("object_pk", "object_id", "object_repr", "action", "changes")}
    templates: dict[type[models.Model], tuple[str, list[Any]]] = {}
    sql = ""

    def row(obj: models.Model, action: int, changes: Any) -> list[Any]:
        nonlocal sql
        model = obj.__class__
        if model not in templates:
            template = LogEntry(
                content_type=ContentType.objects.get_for_model(model),
                action=action,
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=context.get("remote_addr"),
                cid=cid,
                timestamp=now,
            )
            prepared = prepare_insert([template])
            templates[model] = (prepared.sql, prepared.rows[0])
            sql = prepared.sql
        values = list(templates[model][1])
        values[index["object_pk"]] = str(obj.pk)
        values[index["object_id"]] = obj.pk if isinstance(obj.pk, int) else None
        values[index["object_repr"]] = smart_str(obj)
        values[index["action"]] = action
        values[index["changes"]] = changes_field.get_db_prep_save(changes, connection)
        return values

    rows: list[list[Any]] = []
    plans: dict[tuple[type[models.Model], bool], _DiffPlan] = {}

    def plan(model: type[models.Model], creating: bool) -> _DiffPlan:
        key = (model, creating)
        if key not in plans:
            plans[key] = _DiffPlan(model, creating, json_changes)
        return plans[key]

    for obj in created:
        rows.append(row(obj, LogEntry.Action.CREATE, plan(obj.__class__, True).diff(None, obj)))
    for before, after in updated:
        changes = plan(after.__class__, False).diff(before, after)
        if changes:
            rows.append(row(after, LogEntry.Action.UPDATE, changes))
    return PreparedAudit(
        write=PreparedWrite(sql, rows),
        created=len(created),
        pk_index=index["object_pk"],
        id_index=index["object_id"],
    )


class _DiffPlan:
    """`auditlog.diff.model_instance_diff` for one model, with its decisions taken once: which fields (those of
    a create, or of an update), and how each field's value is read. Fields whose reading auditlog treats
    specially (date-times, JSON, masked fields, JSON changes) are read by auditlog's own `get_field_value`."""

    def __init__(self, model: type[models.Model], creating: bool, json_changes: bool) -> None:
        from auditlog.diff import get_field_value, get_fields_in_model
        from auditlog.registry import auditlog

        sample = model()
        if creating:
            names = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            fields = {
                f
                for f in set(get_fields_in_model(sample))
                if (isinstance(f, models.ForeignKey) and f.attname in names) or f.name in names
            }
        else:
            fields = set(model._meta.fields + model._meta.fields)
        options = auditlog.get_model_fields(model)
        if options["include_fields"]:
            fields = {f for f in fields if f.name in options["include_fields"]}
        if options["exclude_fields"]:
            fields = {f for f in fields if f.name not in options["exclude_fields"]}
        self.exact = bool(json_changes or options["mask_fields"])  # then auditlog's own diff, as it is
        self.json_changes = json_changes
        self.fields = list(fields)  # the set's order, as auditlog iterates it
        self.defaults = {f.name: get_field_value(None, f) for f in self.fields} if creating else {}
        fk_raw = not getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False)
        self.texts: dict[Any, str] = {}
        self.readers: list[tuple[str, Any]] = []
        for f in self.fields:
            if isinstance(f, models.DateTimeField):
                self.readers.append((f.name, _remembered_reading(f, get_field_value)))
            elif isinstance(f, models.JSONField):
                self.readers.append((f.name, lambda obj, f=f: get_field_value(obj, f)))
            elif fk_raw and (f.one_to_one or f.many_to_one) and hasattr(f, "rel_class"):
                attname = f.get_attname()
                self.readers.append((f.name, lambda obj, a=attname: smart_str(getattr(obj, a), strings_only=True)))
            else:
                self.readers.append((f.name, self._text_reading(f.name)))

    def diff(self, old: models.Model | None, new: models.Model) -> dict[str, Any] | None:
        if self.exact:
            if old is None:
                names = [f.name for f in new._meta.concrete_fields if not f.primary_key]
                return model_instance_diff(None, new, fields_to_check=names, use_json_for_changes=self.json_changes)
            return model_instance_diff(old, new, use_json_for_changes=self.json_changes)
        result = {}
        for name, read in self.readers:
            before = self.defaults[name] if old is None else read(old)
            after = read(new)
            if before != after:
                result[name] = (
                    before if type(before) is str else self.text(before),
                    after if type(after) is str else self.text(after),
                )
        return result or None

    def text(self, value: Any) -> str:
        """`smart_str(value)`: a str as it is, anything else worked out once per value (dates, numbers and the
        shared moments of a bulk write repeat from record to record)."""
        if type(value) is str:
            return value
        key = (type(value), value)
        try:
            return self.texts[key]
        except KeyError:
            self.texts[key] = text = smart_str(value)
            return text
        except TypeError:
            return smart_str(value)

    def _text_reading(self, name: str) -> Any:
        """auditlog's reading of a plain field, `str(smart_str(value))`."""

        def read(obj: models.Model) -> Any:
            value = getattr(obj, name)
            return value if type(value) is str else str(self.text(value))

        return read


def _remembered_reading(field: models.Field[Any, Any], get_field_value: Any) -> Any:
    """auditlog's reading of a date-time (converted to naive UTC), worked out once per value: the records of
    one bulk write share their moments, and the conversion cost more than the rest of an entry."""
    seen: dict[Any, Any] = {}
    name = field.name

    def read(obj: models.Model) -> Any:
        key = obj.__dict__.get(name, _UNSET)
        if type(key) is not datetime.datetime:
            return get_field_value(obj, field)
        try:
            return seen[key]
        except KeyError:
            seen[key] = value = get_field_value(obj, field)
            return value

    return read


_UNSET = object()
