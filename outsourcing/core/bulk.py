"""Bulk writes whose work is done before the transaction, so that the write lock is held only to write.

SQLite has one writer at a time: while an import writes, every other write waits. Django's bulk_create
and bulk_update compile SQL and convert every value inside the transaction (and bulk_update builds a CASE
per field), which held the lock for seconds for 10,000 rows. Here the statements and their parameters are
prepared first (`prepare_insert`, `prepare_update`); inside the transaction they are only executed, one
`executemany` each.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
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
    on creation, files), otherwise the attribute itself."""
    if type(field).pre_save is not models.Field.pre_save:
        return lambda obj: field.pre_save(obj, True)
    return operator.attrgetter(field.attname)


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
    return lambda value: prep(value, connection)


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
