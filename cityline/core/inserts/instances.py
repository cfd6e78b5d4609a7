"""Plain INSERTs of new model instances, for the write paths every request takes.

`Model.save()` spends much of a row's time in Python (signals, the SQL compiler, field
preparation through several layers), and the intake of one service request writes several
rows. Here each model's statement is built once, every value is prepared by its field's own
`pre_save` and `get_db_prep_save` (so each backend stores exactly what the ORM would store), and
Django's cursor runs it in the caller's transaction, visible to query logging like any other.

Each insert is prepared (`instance_prepare`, `instances_prepare`) before the transaction that
runs it (`prepared_instance_insert`, `prepared_instances_insert`); `instance_insert` does both.
No `pre_save`/`post_save` signals are sent: use these only for models nothing listens to.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper


@cache
def _statement(
    model: type[models.Model], vendor: str, *, rows: int = 1, returning: bool = False
) -> tuple[str, tuple[models.Field, ...]]:
    # `vendor` keys the cache: the quoting belongs to one backend.
    opts = model._meta
    fields = tuple(f for f in opts.concrete_fields if not f.primary_key)
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = ", ".join(quote(cast(str, f.column)) for f in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    # Several rows go in one statement, not one statement each (an executemany): PostgreSQL
    # parses and plans every statement it is sent.
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES {', '.join([row] * rows)}"
    if returning:
        # RETURNING needs SQLite 3.35 or later (Debian 12 ships 3.40) or any PostgreSQL.
        sql += f" RETURNING {quote(cast(str, opts.pk.column))}"
    return sql, fields


def _values(
    obj: models.Model, fields: tuple[models.Field, ...], db: BaseDatabaseWrapper
) -> list[Any]:
    return [field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields]


@dataclass(frozen=True)
class PreparedInstance:
    """One new instance's INSERT, its values prepared ahead of the transaction that runs it."""

    obj: models.Model
    sql: str
    values: list[Any]


def instance_prepare(obj: models.Model) -> PreparedInstance:
    """Prepare `obj`'s INSERT now, to run later with `prepared_instance_insert`. SQLite lets one
    writer in at a time, so what is prepared before the transaction begins is work no other
    writer waits for. Later changes to `obj` are not seen."""
    # One lookup of the thread's connection: each access through the `connection` proxy costs.
    db = connections[DEFAULT_DB_ALIAS]
    sql, fields = _statement(type(obj), db.vendor, returning=True)
    return PreparedInstance(obj=obj, sql=sql, values=_values(obj, fields, db))


def prepared_instance_insert(prepared: PreparedInstance) -> None:
    """Run a prepared INSERT and set the instance's primary key, as `obj.save()` would."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(prepared.sql, prepared.values)
        prepared.obj.pk = cursor.fetchone()[0]
    prepared.obj._state.adding = False
    prepared.obj._state.db = db.alias


def instance_insert(obj: models.Model) -> None:
    """INSERT one new instance and set its primary key, as `obj.save()` would."""
    prepared_instance_insert(instance_prepare(obj))


@dataclass(frozen=True)
class PreparedInstances:
    """New instances of one model, their INSERT prepared ahead of the transaction that runs it.

    Rows that belong to a parent not yet stored (the request that a transaction is about to
    insert) are prepared without its key; `prepared_instances_insert` fills it in."""

    sql: str
    rows: list[list[Any]]
    parent_column: int | None = None


def prepared_position(model: type[models.Model], name: str) -> int:
    """Where the value of field `name` is in each row `instances_prepare` makes for `model`, for
    a value known only once the transaction runs."""
    _, fields = _statement(model, connections[DEFAULT_DB_ALIAS].vendor)
    return [f.name for f in fields].index(name)


def instances_prepare(objs: Sequence[models.Model], *, parent: str = "") -> PreparedInstances:
    """Prepare the INSERT of `objs` (instances of one model) now, to run later with
    `prepared_instances_insert`. `parent` names their foreign key to an instance not yet stored.

    For the few rows of one change (one statement holds them all); loads of thousands go through
    `RowWriter` (`cityline.core.inserts.rows`)."""
    if not objs:
        return PreparedInstances(sql="", rows=[])
    db = connections[DEFAULT_DB_ALIAS]
    sql, fields = _statement(type(objs[0]), db.vendor, rows=len(objs))
    parent_column = prepared_position(type(objs[0]), parent) if parent else None
    return PreparedInstances(
        sql=sql, rows=[_values(obj, fields, db) for obj in objs], parent_column=parent_column
    )


def prepared_instances_insert(prepared: PreparedInstances, *, parent_pk: Any = None) -> None:
    """INSERT prepared rows in one statement, under `parent_pk` if they were prepared without it.
    The instances' own primary keys stay unset."""
    if not prepared.rows:
        return
    if prepared.parent_column is not None:
        if parent_pk is None:
            raise ValueError("these rows were prepared without their parent's key: pass it")
        for row in prepared.rows:
            row[prepared.parent_column] = parent_pk
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(prepared.sql, [value for row in prepared.rows for value in row])
