"""Bulk writes whose work is done before the transaction, so that the write lock is held only to write.

SQLite has one writer at a time: while an import writes, every other write waits. Django's bulk_create
and bulk_update compile SQL and convert every value inside the transaction (and bulk_update builds a CASE
per field), which held the lock for seconds for 10,000 rows. Here the statements and their parameters are
prepared first (`prepare_insert`, `prepare_update`); inside the transaction they are only executed, one
`executemany` each.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    return PreparedWrite(sql, rows, using)


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
