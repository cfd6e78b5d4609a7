"""`RowWriter`: the SQL of a bulk load, the same statements on every backend.

Plain SQL over the ORM's table and column names, through the driver's own DB-API cursor on
Django's connection (so inside the caller's transaction), binding parameters natively: Django's
PostgreSQL cursor quotes each value into the SQL text in Python, which costs more than the
database's own work at bulk volumes. SQLite takes multi-row `INSERT … VALUES` statements;
PostgreSQL takes rows by binary COPY, straight into the table or, for an upsert, through a
temporary staging table (docs/adr/0006-bulk-loading.md). Values come adapted for the database
(`values.py`).
"""

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import connection, models

from cityline.core.inserts.dumpers import binary_dumpers_register


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a column")
    return found


def _column(field: models.Field) -> str:
    return cast(str, field.column)


class RowWriter:
    """A context manager for the statements of one bulk write, on Django's connection of this
    thread. Names are the model's field names; values are tuples in the order of those names."""

    # Rows per INSERT statement: long statements cost no more per row, and the driver takes
    # Python's lock back after each one, which a storing thread has to wait for while another
    # thread holds it: a few long statements a batch, not hundreds of short.
    ROWS_PER_STATEMENT = 500

    def __init__(self) -> None:
        self.connection = connection
        self.quote = connection.ops.quote_name
        # Django's own, conservative, limit for one statement; PostgreSQL has none that matters.
        self.max_params = connection.features.max_query_params or 20_000
        # The driver's own cursor (sqlite3 or psycopg), or Django's where a driver has none.
        self.cursor: Any = None
        self.mark = "%s"

    def __enter__(self) -> "RowWriter":
        self.connection.ensure_connection()
        database = cast(Any, self.connection).Database
        native = getattr(database, "Cursor", None)  # sqlite3 and psycopg 3 name it so
        if native is not None:
            self.cursor = native(self.connection.connection)
            self.mark = "?" if database.paramstyle == "qmark" else "%s"
            if self.connection.vendor == "postgresql":
                binary_dumpers_register(self.cursor)
            if database.paramstyle == "qmark":
                # SQLite's own limit (32,766 since 3.32), not Django's 999 of older versions.
                self.max_params = self.connection.connection.getlimit(
                    database.SQLITE_LIMIT_VARIABLE_NUMBER
                )
        else:
            self.cursor = self.connection.cursor()
        return self

    def __exit__(self, *exc_info) -> None:
        self.cursor.close()

    def execute(self, sql: str, params: Sequence) -> None:
        # Django's own exception classes, as its cursor would raise them.
        with self.connection.wrap_database_errors:
            self.cursor.execute(sql, params)

    def executemany(self, sql: str, params: Sequence[Sequence]) -> None:
        with self.connection.wrap_database_errors:
            self.cursor.executemany(sql, params)

    def fetchall(self) -> list[tuple]:
        with self.connection.wrap_database_errors:
            return self.cursor.fetchall()

    def marks(self, count: int) -> str:
        return ", ".join([self.mark] * count)

    def table(self, model: type[models.Model]) -> str:
        return self.quote(model._meta.db_table)

    def column(self, model: type[models.Model], name: str) -> str:
        return self.quote(_column(concrete_field(model, name)))

    def select_in(
        self,
        model: type[models.Model],
        names: list[str],
        *,
        equal: tuple[str, object],
        within: tuple[str, Sequence],
    ) -> list[tuple]:
        """Rows whose column `equal[0]` is `equal[1]` and `within[0]` one of `within[1]`."""
        columns = ", ".join(self.column(model, name) for name in names)
        where = (
            f"WHERE {self.column(model, equal[0])} = {self.mark} "
            f"AND {self.column(model, within[0])}"
        )
        values = within[1]
        if self.connection.vendor == "postgresql":
            # One array parameter: PostgreSQL plans it faster than thousands of parameters.
            self.execute(
                f"SELECT {columns} FROM {self.table(model)} {where} = ANY(%s)",
                [equal[1], list(values)],
            )
            return self.fetchall()
        found: list[tuple] = []
        per_query = max(1, self.max_params - 1)
        for start in range(0, len(values), per_query):
            chunk = values[start : start + per_query]
            self.execute(
                f"SELECT {columns} FROM {self.table(model)} {where} IN ({self.marks(len(chunk))})",
                [equal[1], *chunk],
            )
            found.extend(self.fetchall())
        return found

    def max_id(self, model: type[models.Model]) -> int:
        self.execute(f"SELECT MAX({self.column(model, 'id')}) FROM {self.table(model)}", [])
        with self.connection.wrap_database_errors:
            return self.cursor.fetchone()[0] or 0

    def select_after(
        self,
        model: type[models.Model],
        names: list[str],
        *,
        after_id: int,
        equal: tuple[str, object],
    ) -> list[tuple]:
        """Rows whose id is above `after_id` and whose column `equal[0]` is `equal[1]`."""
        columns = ", ".join(self.column(model, name) for name in names)
        # SQLite, without statistics, would read them through an index on `equal[0]`, which holds
        # every row of the source stored before as well: on its own table's order, by the id's
        # range, it reads only the new rows.
        by_id = " NOT INDEXED" if self.connection.vendor == "sqlite" else ""
        self.execute(
            f"SELECT {columns} FROM {self.table(model)}{by_id} WHERE {self.column(model, 'id')} > "
            f"{self.mark} AND {self.column(model, equal[0])} = {self.mark}",
            [after_id, equal[1]],
        )
        return self.fetchall()

    def delete_in(
        self,
        model: type[models.Model],
        *,
        within: tuple[str, Sequence],
        also_within: tuple[str, Sequence] | None = None,
    ) -> None:
        """DELETE rows whose column `within[0]` is one of `within[1]` (and `also_within[0]` one
        of `also_within[1]`, when given)."""
        extra_sql, extra_params = "", []
        if also_within is not None:
            name, values = also_within
            extra_sql = f" AND {self.column(model, name)} IN ({self.marks(len(values))})"
            extra_params = list(values)
        name, keys = within
        per_query = max(1, self.max_params - len(extra_params))
        for start in range(0, len(keys), per_query):
            chunk = list(keys[start : start + per_query])
            self.execute(
                f"DELETE FROM {self.table(model)} "
                f"WHERE {self.column(model, name)} IN ({self.marks(len(chunk))})" + extra_sql,
                [*chunk, *extra_params],
            )

    def insert(
        self,
        model: type[models.Model],
        names: list[str],
        values: Iterable[tuple],
        *,
        conflict: Sequence[str] = (),
        update: Sequence[str] = (),
    ) -> None:
        """INSERT rows (tuples in the order of `names`); other columns take their defaults.

        With `conflict` (the names of a unique key), a row whose key is stored updates the
        columns `update` of the stored row instead.
        """
        opts = model._meta
        given = [concrete_field(model, name) for name in names]
        defaults = [
            f for f in opts.concrete_fields if not f.primary_key and f not in given and not f.null
        ]
        default_values = tuple(
            f.get_db_prep_save(f.get_default(), self.connection) for f in defaults
        )
        columns = ", ".join(self.quote(_column(f)) for f in [*given, *defaults])
        on_conflict = ""
        if conflict:
            updates = ", ".join(
                f"{self.column(model, name)} = EXCLUDED.{self.column(model, name)}"
                for name in update
            )
            key = ", ".join(self.column(model, name) for name in conflict)
            on_conflict = f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
        rows = (row + default_values for row in values) if default_values else values
        if self.connection.vendor == "postgresql":
            self._copy(model, columns, on_conflict, rows)
        else:
            self._insert_values(model, columns, len(given) + len(defaults), on_conflict, rows)

    def _insert_values(
        self,
        model: type[models.Model],
        columns: str,
        width: int,
        conflict: str,
        rows: Iterable[tuple],
    ) -> None:
        """Multi-row INSERT … VALUES statements, one prepared statement run many times."""
        per_statement = max(1, min(self.ROWS_PER_STATEMENT, self.max_params // width))
        placeholder = f"({self.marks(width)})"

        def statement(count: int) -> str:
            return (
                f"INSERT INTO {self.table(model)} ({columns}) VALUES "
                + ", ".join([placeholder] * count)
                + conflict
            )

        full: list[list] = []
        current: list = []
        filled = 0
        for row in rows:
            current.extend(row)
            filled += 1
            if filled == per_statement:
                full.append(current)
                current, filled = [], 0
        if full:
            self.executemany(statement(per_statement), full)
        if current:
            self.execute(statement(filled), current)

    def _copy(
        self,
        model: type[models.Model],
        columns: str,
        conflict: str,
        rows: Iterable[tuple],
    ) -> None:
        """PostgreSQL's COPY: straight into the table, or, for an upsert, into a temporary
        staging table of the same columns and from there by one
        `INSERT … SELECT … ON CONFLICT`, then emptied for the next batch of the transaction."""
        table = self.table(model)
        target = table
        if conflict:
            target = self.quote(f"{model._meta.db_table}_staging")
            self.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {target} AS "
                f"SELECT {columns} FROM {table} WITH NO DATA",
                [],
            )
        # Binary COPY: the server reads timestamps, numbers and UUIDs as they are stored instead
        # of parsing text, and the driver writes them without formatting; each value is
        # written as its column's type, which the empty result of a SELECT tells.
        self.execute(f"SELECT {columns} FROM {target} LIMIT 0", [])
        types = [column.type_code for column in self.cursor.description]
        with (
            self.connection.wrap_database_errors,
            self.cursor.copy(f"COPY {target} ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(types)
            write = copy.write_row
            for row in rows:
                write(row)
        if conflict:
            self.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target}{conflict}", []
            )
            self.execute(f"TRUNCATE {target}", [])
