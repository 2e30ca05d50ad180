"""Bulk writes whose work is done before the transaction, so that the write lock is held only to write.

SQLite has one writer at a time: while an import writes, every other write waits. Django's bulk_create
and bulk_update compile SQL and convert every value inside the transaction (and bulk_update builds a CASE
per field), which held the lock for seconds for 10,000 rows. Here the statements and their parameters are
prepared first (`prepare_insert`, `prepare_update`); inside the transaction they are only executed, one
`executemany` each.

The checks of such a write are prepared the same way: `BatchCleaner` is the model's `full_clean` for many
records, with each field's verdict on a value worked out once, and `copy_record` copies a record without the
pickle protocol's detour.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import gc
import operator
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault
from django.db.models.sql import InsertQuery


@dataclass
class PreparedWrite:
    """One statement and a row of parameters per record, ready for `executemany`."""

    sql: str
    rows: list[list[Any]]
    using: str = "default"

    def execute(self) -> None:
        if self.rows:
            with connections[self.using].cursor() as cursor:
                cursor.executemany(self.sql, self.rows)


def _fields(model: type[models.Model], names: Sequence[str] | None) -> list[models.Field[Any, Any]]:
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key or names is not None]
    if names is None:
        return concrete
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def prepare_insert(objs: Sequence[models.Model], using: str = "default") -> PreparedWrite:
    """INSERT of `objs` (all of one model) without their primary keys, which the database assigns."""
    if not objs:
        return PreparedWrite("", [], using)
    model = type(objs[0])
    connection = connections[using]
    fields = _fields(model, None)
    query = InsertQuery(model)
    query.insert_values(fields, [objs[0]])
    sql, _params = query.get_compiler(using=using).as_sql()[0]
    # Every attribute is read at once; the fields that read otherwise (pre_save) and the values that need a
    # conversion are then seen to one by one.
    read_all = operator.attrgetter(*(f.attname for f in fields)) if len(fields) > 1 else _one(fields[0].attname)
    own_readers = [(i, _reader(f)) for i, f in enumerate(fields) if _reader_needed(f)]
    converters = [(i, *_converter(f, connection)) for i, f in enumerate(fields)]
    unless_ready = [(i, ready, convert) for i, ready, convert in converters if ready is not None]
    always = [(i, convert) for i, ready, convert in converters if ready is None]
    rows = []
    for obj in objs:
        row = list(read_all(obj))
        for i, read in own_readers:
            row[i] = read(obj)
        for i, ready, convert in unless_ready:
            value = row[i]
            if value is not None and type(value) is not ready:
                row[i] = convert(value)
        for i, convert in always:
            row[i] = convert(row[i])
        rows.append(row)
    return PreparedWrite(sql, rows, using)


def _one(attname: str) -> Callable[[models.Model], tuple[Any]]:
    return lambda obj: (getattr(obj, attname),)


def _reader_needed(field: models.Field[Any, Any]) -> bool:
    """Whether an INSERT reads the field otherwise than its attribute (a date's pre_save reads only the
    attribute unless the date is set on saving)."""
    if _moment_of_write(field):
        return True
    own = type(field).pre_save
    return own is not models.Field.pre_save and own not in (models.DateField.pre_save, models.DateTimeField.pre_save)


def _reader(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    """How an INSERT reads the field's value: `pre_save` where it does more than read the attribute (dates set
    on creation, files), otherwise the attribute itself. A date set on saving (`auto_now`, `auto_now_add`)
    is the moment of the write, one for all its records, as the statement writes them together: `pre_save`
    of the first record gives it and the others are given the same."""
    if _moment_of_write(field):
        moment: list[Any] = []

        def same_moment(obj: models.Model) -> Any:
            if not moment:
                moment.append(field.pre_save(obj, True))
            else:
                setattr(obj, field.attname, moment[0])
            return moment[0]

        return same_moment
    if type(field).pre_save is not models.Field.pre_save:
        return lambda obj: field.pre_save(obj, True)
    return operator.attrgetter(field.attname)


def _moment_of_write(field: models.Field[Any, Any]) -> bool:
    return (
        isinstance(field, models.DateField)
        and type(field).pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save)
        and bool(field.auto_now or field.auto_now_add)
    )


_TEXT = {"CharField", "TextField"}
_INTEGER = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "ForeignKey",
}


def _converter(field: models.Field[Any, Any], connection: Any) -> tuple[type | None, Callable[[Any], Any]]:
    """`field.get_db_prep_save(value, connection)`, and the type whose values (and None) need no call of it
    because they already have the one form the database takes (a str for plain text, an int for plain
    integers and keys), or None: that call per field per row was a third of an import's time. Plain dates
    and date-times are converted once per value (they repeat from record to record). Anything else goes
    through Django's conversion, and so does every field class that changes how values are prepared."""
    prep = field.get_db_prep_save
    cls = type(field)
    kind = field.get_internal_type()

    def django(value: Any) -> Any:
        return prep(value, connection)

    if isinstance(field, models.ForeignKey):
        target = field.target_field
        if type(target).get_db_prep_value in _PLAIN_VALUE and target.get_internal_type() in _INTEGER | _AUTO:
            return int, django
        return None, django
    if cls.get_db_prep_save is not models.Field.get_db_prep_save:
        return None, django
    if kind in _TEXT and cls.get_db_prep_value is models.Field.get_db_prep_value:
        return str, django
    if kind in _INTEGER and cls.get_db_prep_value in _PLAIN_VALUE:
        return int, django
    if kind == "DateField" and cls.get_db_prep_value is models.DateField.get_db_prep_value:
        return None, _remembered(django, datetime.date)
    if kind == "DateTimeField" and cls.get_db_prep_value is models.DateTimeField.get_db_prep_value:
        return None, _remembered(django, datetime.datetime)
    return None, django


def _remembered(convert: Callable[[Any], Any], kind: type) -> Callable[[Any], Any]:
    """`convert`, worked out once per value of type `kind` (a pure conversion): the records of one write share
    their moment of creation, and converting a date-time costs more than looking it up."""
    seen: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        if type(value) is not kind:
            return convert(value)
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = convert(value)
            return result

    return converted


_AUTO = {"AutoField", "BigAutoField", "SmallAutoField"}
_PLAIN_VALUE = {models.Field.get_db_prep_value, models.IntegerField.get_db_prep_value}


def prepare_update(objs: Sequence[models.Model], names: Sequence[str], using: str = "default") -> PreparedWrite:
    """UPDATE of the fields `names` of each of `objs` (all of one model), by primary key."""
    if not objs:
        return PreparedWrite("", [], using)
    model = type(objs[0])
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = _fields(model, names)
    table, pk_column = model._meta.db_table, model._meta.pk.column if model._meta.pk else "id"
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    sql = f"UPDATE {quote(table)} SET {assignments} WHERE {quote(str(pk_column))} = %s"  # noqa: S608
    rows = [[*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields), obj.pk] for obj in objs]
    return PreparedWrite(sql, rows, using)


def copy_record(obj: models.Model) -> models.Model:
    """A shallow copy of `obj` with its own `_state` and its own cache of related records, as `copy.copy`
    gives through the model's `__getstate__`, without the pickle protocol's detour (ten times the cost)."""
    new = obj.__class__.__new__(obj.__class__)
    new.__dict__.update(obj.__dict__)
    state = copy.copy(obj._state) if type(obj._state) is not ModelState else ModelState()
    state.__dict__.update(obj._state.__dict__)
    state.fields_cache = obj._state.fields_cache.copy()
    new._state = state
    return new


class BatchCleaner:
    """`Model.full_clean(exclude, validate_unique=False, validate_constraints=False)` for the many records of a
    bulk write: the same field rules, error messages and cleaned values, then the model's own `clean()`.

    A field's `clean(value, record)` (to_python, choices, null and blank, validators) looks at the value only,
    except for relations, so its verdict on a value is worked out once per batch and remembered (by the
    value's type and the value): 10,000 roster rows with four employment types and a few thousand hire dates
    run the date rules a few thousand times. Relations and fields of classes outside Django are cleaned
    record by record, as `clean_fields` does. Uniqueness and constraints are left to the write, as they are
    when the one-record call switches them off.
    """

    def __init__(self, model: type[models.Model], exclude: Sequence[str] = ()) -> None:
        self.plan: list[tuple[models.Field[Any, Any], str, bool, Any, dict[Any, tuple[bool, Any]] | None]] = [
            (f, f.attname, f.blank, f.empty_values, {} if _value_only(f) else None)
            for f in model._meta.fields  # the order clean_fields walks them in
            if f.name not in exclude and not f.generated
        ]
        self.model = model
        self.typings: dict[str, tuple[models.Field[Any, Any], dict[Any, tuple[bool, Any]] | None]] = {}

    def to_python(self, name: str, value: Any) -> Any:
        """The model field `name`'s `to_python(value)`, remembered like the verdicts (raises ValidationError)."""
        try:
            field, seen = self.typings[name]
        except KeyError:
            field = self.model._meta.get_field(name)  # type: ignore[assignment]
            seen = {} if _value_only(field) else None
            self.typings[name] = (field, seen)
        if seen is None:
            return field.to_python(value)
        key = (type(value), value)
        try:
            ok, outcome = seen[key]
        except KeyError:
            try:
                outcome = field.to_python(value)
            except ValidationError as exc:
                seen[key] = (False, exc.error_list)
                raise
            seen[key] = (True, outcome)
            return outcome
        except TypeError:
            return field.to_python(value)
        if ok:
            return outcome
        raise ValidationError(outcome)

    def clean_fields(self, obj: models.Model) -> None:
        """`obj.clean_fields(exclude)`: each field's value replaced by its cleaned form, or its errors."""
        errors: dict[str, Any] = {}
        values = obj.__dict__
        for field, attname, blank, empty, verdicts in self.plan:
            raw = values[attname] if attname in values else getattr(obj, attname)
            if blank and raw in empty:
                continue
            if isinstance(raw, DatabaseDefault):
                continue
            if verdicts is None:
                ok, outcome = _clean(field, raw, obj)
            else:
                key = (type(raw), raw)
                try:
                    ok, outcome = verdicts[key]
                except KeyError:
                    ok, outcome = verdicts[key] = _clean(field, raw, obj)
                except TypeError:  # a value that cannot be a key is checked every time
                    ok, outcome = _clean(field, raw, obj)
            if ok:
                setattr(obj, attname, outcome)
            else:
                errors[field.name] = list(outcome)
        if errors:
            raise ValidationError(errors)

    def full_clean(self, obj: models.Model) -> None:
        """`obj.full_clean(exclude, validate_unique=False, validate_constraints=False)`."""
        errors: dict[str, Any] = {}
        try:
            self.clean_fields(obj)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:  # run even when a field failed, as full_clean does
            obj.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _clean(field: models.Field[Any, Any], value: Any, obj: models.Model) -> tuple[bool, Any]:
    """(True, `field.clean(value, obj)`) or (False, the errors it raised)."""
    try:
        return True, field.clean(value, obj)
    except ValidationError as exc:
        return False, exc.error_list


def _value_only(field: models.Field[Any, Any]) -> bool:
    """Whether the field's `clean` depends on the value alone: Django's own field classes, not relations (a
    key's `validate` asks the database, through the record's)."""
    return not field.is_relation and type(field).__module__.startswith("django.db.models.fields")


_pause = threading.Lock()
_pauses = 0
_collector_was_on = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while a bulk write is prepared. It walks every live object each
    time enough new ones have been made; preparing 10,000 records makes hundreds of thousands, none of them
    cyclic garbage, and those walks were an eighth of a roster import. Nested and concurrent pauses count:
    the collector runs again when the last one ends, if it ran before the first."""
    global _pauses, _collector_was_on
    with _pause:
        if _pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause:
            _pauses -= 1
            if _pauses == 0 and _collector_was_on:
                gc.enable()
