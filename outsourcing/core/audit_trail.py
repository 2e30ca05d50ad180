"""The audit trail as people read it: "changed end date from 2026-06-30 to 2026-12-31", not raw JSON.

django-auditlog stores each change as {field: [before, after]} in the database's words: field names, choice
codes, foreign-key ids, "None" and "True". Here each entry becomes sentences with the field's label, the
choice's label, the related record's name (looked up for a whole page of entries at once: one query per
related model, not one per value) and dates as written.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

EMPTY = {"", "None", None}
ACTIONS = {0: "created", 1: "changed", 2: "deleted", 3: "accessed"}


def action_label(value: int) -> str:
    return {0: _("created"), 1: _("changed"), 2: _("deleted"), 3: _("accessed")}.get(value, str(value))


@dataclass
class Change:
    field: str  # the field's label in the reader's language
    before: str
    after: str

    @property
    def sentence(self) -> str:
        if not self.before:
            return _("set %(field)s to %(after)s") % {"field": self.field, "after": self.after}
        if not self.after:
            return _("cleared %(field)s (was %(before)s)") % {"field": self.field, "before": self.before}
        return _("changed %(field)s from %(before)s to %(after)s") % {
            "field": self.field,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class Entry:
    entry: LogEntry
    what: str  # e.g. "Engagement «OM-2026-001 Cloud O&M»"
    action: str
    changes: list[Change]


def _raw_changes(entry: LogEntry) -> dict[str, Any]:
    changes = entry.changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return {}
    return changes if isinstance(changes, dict) else {}


REVERSE = object()  # a reverse relation (a list of other records): auditlog writes "app.Model.None" for it


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed from the model: shown by its stored name
        return None
    return field if isinstance(field, models.Field) else REVERSE


def _related_names(entries: Sequence[LogEntry]) -> dict[tuple[type[models.Model], str], str]:
    """The names of every related record the entries mention: one query per related model."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        for name, pair in _raw_changes(entry).items():
            field = _field(model, name)
            relation = field not in (None, REVERSE) and field.is_relation and (field.many_to_one or field.one_to_one)
            if relation and isinstance(pair, list | tuple):
                related = field.related_model
                if isinstance(related, type):
                    wanted[related].update(str(v) for v in pair if v not in EMPTY)
    names: dict[tuple[type[models.Model], str], str] = {}
    for related, ids in wanted.items():
        valid = [i for i in ids if i.isdigit()]
        for obj in related._default_manager.filter(pk__in=valid):
            names[(related, str(obj.pk))] = str(obj)
    return names


# Labels for the plumbing fields many records share and that carry no verbose name of their own (Django would
# show "created at" in English whatever the reader's language).
COMMON_LABELS = {
    "created_at": gettext_lazy("created"),
    "updated_at": gettext_lazy("last changed"),
    "created_by": gettext_lazy("created by"),
    "uploaded_by": gettext_lazy("uploaded by"),
    "uploaded_at": gettext_lazy("uploaded"),
    "content_type": gettext_lazy("kind of record"),
    "object_id": gettext_lazy("record"),
    "version": gettext_lazy("version"),
    "order": gettext_lazy("order"),
    "prefix": gettext_lazy("prefix"),
    "key_hash": gettext_lazy("key fingerprint"),
    "last_used_at": gettext_lazy("last used"),
    "revoked_at": gettext_lazy("revoked"),
    "nonce": gettext_lazy("one-time code"),
    "file": gettext_lazy("file"),
    "recorded_at": gettext_lazy("recorded"),
    "shortfall": gettext_lazy("shortfall"),
    "attainment": gettext_lazy("attainment"),
    "breached": gettext_lazy("breached"),
    "granted_at": gettext_lazy("granted"),
    "proposed_at": gettext_lazy("proposed"),
    "decided_at": gettext_lazy("decided"),
    "appraised_at": gettext_lazy("appraised"),
}


def field_label(field: Any, name: str) -> str:
    """The field's name in the reader's language: its verbose name; for a field that has none (Django made it
    from the attribute's name), the shared label, or the related record's kind."""
    if field is None:
        return str(COMMON_LABELS.get(name, name.replace("_", " ")))
    label = field.verbose_name
    if str(label) != field.name.replace("_", " "):  # an explicit verbose name: translated where it was written
        return str(label)
    if name in COMMON_LABELS:
        return str(COMMON_LABELS[name])
    related = field.related_model if field.is_relation else None
    if isinstance(related, type) and issubclass(related, models.Model):
        return str(related._meta.verbose_name)
    return str(label)


def _json_summary(value: Any) -> str:
    """A stored structure (figures of an appraisal, a frozen result) in a few words, never as raw JSON."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return _("(recorded)")
    if isinstance(value, list | dict):
        return ngettext("%(n)s entry", "%(n)s entries", len(value)) % {"n": len(value)}
    return _("(recorded)")


def _local_minute(text: str) -> str:
    """A recorded moment in the owner's time zone, to the minute, like the entry's own "When"."""
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        return text[:16].replace("T", " ")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _display(field: Any, value: Any, names: dict[Any, str]) -> str:
    if value in EMPTY:
        return ""
    if isinstance(field, models.JSONField):
        return _json_summary(value)
    text = str(value)
    if field is None:
        return text
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model, text), f"#{text}")
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.BooleanField):
        return _("yes") if text in {"True", "true", "1"} else _("no")
    if isinstance(field, models.DateTimeField):
        return _local_minute(text)
    return text


def _current_names(entries: Sequence[LogEntry]) -> dict[tuple[int, str], str]:
    """The names, in the reader's language, of the records whose name holds a translated word (a model with
    `name_in_reader_language = True`, e.g. "PO-7 · Issued 5 × 81"): auditlog stored the name in the language of
    whoever made the change. One query per such model; a deleted record keeps its stored name."""
    wanted: dict[int, set[str]] = defaultdict(set)
    models_by_type: dict[int, type[models.Model]] = {}
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        if model is not None and getattr(model, "name_in_reader_language", False):
            wanted[entry.content_type_id].add(str(entry.object_pk))
            models_by_type[entry.content_type_id] = model
    found: dict[tuple[int, str], str] = {}
    for type_id, pks in wanted.items():
        model = models_by_type[type_id]
        valid = [pk for pk in pks if pk.isdigit()]
        for obj in model._default_manager.select_related().filter(pk__in=valid):
            found[(type_id, str(obj.pk))] = str(obj)
    return found


def describe(entries: Iterable[LogEntry]) -> list[Entry]:
    """The entries in people's words, with every related name looked up for all of them at once."""
    entries = list(entries)
    names = _related_names(entries)
    current = _current_names(entries)
    described = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        kind = str(model._meta.verbose_name).capitalize() if model else entry.content_type.name
        changes = []
        for name, pair in _raw_changes(entry).items():
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            field = _field(model, name)
            if field is REVERSE or name == "id":
                continue  # the other records say their own changes; the id is the entry's object itself
            label = field_label(field, name)
            before, after = (_display(field, v, names) for v in pair)
            if before != after or (isinstance(field, models.JSONField) and str(pair[0]) != str(pair[1])):
                changes.append(Change(label, before, after))
        name = current.get((entry.content_type_id, str(entry.object_pk)), entry.object_repr)
        described.append(Entry(entry, f"{kind} «{name}»", action_label(entry.action), changes))
    return described
