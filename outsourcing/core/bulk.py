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

import copy
import datetime
import operator
from collections.abc import Callable, Sequence
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
    readers = [_reader(f) for f in fields]
    converters = [_converter(f, connection) for f in fields]
    pairs = list(zip(readers, converters, strict=True))
    rows = [[convert(read(obj)) for read, convert in pairs] for obj in objs]
    return PreparedWrite(sql, rows, using)


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


def _converter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    """`field.get_db_prep_save(value, connection)`, skipped when the value already has the one form the
    database takes (a str for plain text, an int for plain integers and keys, a date for plain dates): that
    call per field per row was a third of an import's time. Anything else goes through Django's conversion,
    and so does every field class that changes how values are prepared."""
    prep = field.get_db_prep_save
    cls = type(field)
    kind = field.get_internal_type()
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        if type(target).get_db_prep_value in _PLAIN_VALUE and target.get_internal_type() in _INTEGER | _AUTO:
            return lambda value: value if value is None or type(value) is int else prep(value, connection)
        return lambda value: prep(value, connection)
    if cls.get_db_prep_save is not models.Field.get_db_prep_save:
        return lambda value: prep(value, connection)
    if kind in _TEXT and cls.get_db_prep_value is models.Field.get_db_prep_value:
        return lambda value: value if value is None or type(value) is str else prep(value, connection)
    if kind in _INTEGER and cls.get_db_prep_value in _PLAIN_VALUE:
        return lambda value: value if value is None or type(value) is int else prep(value, connection)
    if kind == "DateField" and cls.get_db_prep_value is models.DateField.get_db_prep_value:
        adapt = connection.ops.adapt_datefield_value
        return lambda value: adapt(value) if type(value) is datetime.date else prep(value, connection)
    if kind == "DateTimeField" and cls.get_db_prep_value is models.DateTimeField.get_db_prep_value:
        return _remembered(lambda value: prep(value, connection), datetime.datetime)
    return lambda value: prep(value, connection)


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
