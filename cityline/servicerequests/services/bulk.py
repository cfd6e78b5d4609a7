"""Loading historic requests in bulk: importers and the demo city both come through here.

Rows are upserted by (source, source_id), so loading the same data twice updates, never
duplicates. Areas, H3 cells, answers and history entries are computed per batch, not per row.

A batch is prepared in Python first (`service_request_bulk_prepare`: areas, cells, values adapted
for the database), then stored in one transaction that costs a handful of statements whatever its
size (`service_request_bulk_store`): one SELECT for the keys already stored, an INSERT of the
requests (`… ON CONFLICT (source, source_id) DO UPDATE` when some are stored), one SELECT for the
new rows' ids, then INSERTs for their areas, answers and history. SQLite takes multi-row
`INSERT … VALUES` statements; PostgreSQL takes the rows by binary COPY, for an upsert into a
temporary staging table first and from there by one `INSERT … SELECT … ON CONFLICT`
(docs/adr/0006-bulk-loading.md). No model instance is built per row: at tens of thousands of
rows a second, `Model.__init__` alone would cost more than the database.
"""

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import h3
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from psycopg import postgres
from psycopg.adapt import Dumper
from psycopg.pq import Format

from cityline.core import clock
from cityline.core.statistics import statistics_refresh
from cityline.geo.areas import AreaRef, areas_for_points
from cityline.geo.models import BoundaryArea
from cityline.servicerequests.models import (
    WAITING_STATUSES,
    Channel,
    RequestAnswer,
    RequestArea,
    RequestUpdate,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)


@dataclass(slots=True)
class HistoricRequest:
    source: str
    source_id: str
    tracking_number: str
    service_type_id: int
    agency_id: int
    requested_at: datetime
    updated_at: datetime
    status: str = Status.NEW
    resolution: str = ""
    status_notes: str = ""
    description: str = ""
    channel: str = "unknown"
    priority: str = "normal"
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    zipcode: str = ""
    expected_at: datetime | None = None
    closed_at: datetime | None = None
    # Answers to the service type's intake questions (attribute code → text). A blank value
    # removes the answer an earlier load stored under that code.
    answers: dict[str, str] = field(default_factory=dict)
    # Fields of the source kept with the request as written (name → text), in one column;
    # a re-import replaces them. Sources share one dict between rows that hold the same.
    source_fields: dict[str, str] = field(default_factory=dict)
    # The areas the source itself places the request in (layer slug → area code). They are linked
    # for the layers its point falls in no area of, or when it has no point.
    stated_areas: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BulkResult:
    created: int
    updated: int


# The variant bits of a version 4 UUID (10xx) in its 17th hex digit, keeping two random bits.
_VARIANT = {f"{n:x}": f"{8 + (n & 3):x}" for n in range(16)}

# Columns a re-import overwrites; tracking number, token and created_at stay as first stored.
_UPDATABLE = [
    "service_type",
    "agency",
    "description",
    "status",
    "resolution",
    "status_notes",
    "channel",
    "priority",
    "latitude",
    "longitude",
    "address",
    "zipcode",
    "h3_cell",
    "requested_at",
    "updated_at",
    "expected_at",
    "closed_at",
    "waiting_since",
    "source_fields",
]
# Columns given per row; any other column of the table takes its field's default.
_PER_ROW = [*_UPDATABLE, "tracking_number", "token", "source", "source_id", "created_at"]


def service_request_bulk_upsert(*, rows: Sequence[HistoricRequest]) -> BulkResult:
    """Insert or update a batch of requests of one source, with their areas and history.

    Callers pass batches of a few thousand rows; each batch is one transaction.
    """
    return service_request_bulk_store(prepared=service_request_bulk_prepare(rows=rows))


@dataclass(frozen=True)
class PreparedRequests:
    """A batch made ready to store: each key once (a source that repeats a key within one batch
    has its last row win, as it would across batches), the areas of each row and the values
    of the request table's columns (`_PER_ROW`), adapted for the database."""

    source: str
    rows: list[HistoricRequest]
    areas: list[list[AreaRef]]
    values: list[tuple]


def service_request_bulk_prepare(*, rows: Sequence[HistoricRequest]) -> PreparedRequests:
    """The half of an upsert done in Python, which reads boundary areas but writes nothing: an
    import prepares one batch while the batch before it is stored."""
    if not rows:
        return PreparedRequests(source="", rows=[], areas=[], values=[])
    source = rows[0].source
    if any(row.source != source for row in rows):
        raise ValueError("one batch holds rows of one source")
    unique = list({row.source_id: row for row in rows}.values())
    areas = _areas_by_row(unique)
    return PreparedRequests(
        source=source, rows=unique, areas=areas, values=_request_values(unique, areas, connection)
    )


def service_request_bulk_store(*, prepared: PreparedRequests) -> BulkResult:
    """Store a prepared batch in one transaction: the requests, their areas, answers and
    history."""
    source, rows, areas = prepared.source, prepared.rows, prepared.areas
    if not rows:
        return BulkResult(0, 0)
    keys = [row.source_id for row in rows]

    with transaction.atomic(), _Sql() as sql:
        existing = {
            source_id: (pk, status)
            for pk, source_id, status in sql.select_by_keys(
                ServiceRequest, ["id", "source_id", "status"], source, keys
            )
        }
        new_keys = [key for key in keys if key not in existing]
        ids = {key: pk for key, (pk, _) in existing.items()}
        # New rows take ids above every id there is now: find them by a range, not by keys.
        before = sql.max_id(ServiceRequest) if new_keys else 0
        if existing:
            sql.insert(ServiceRequest, _PER_ROW, prepared.values, upsert=True)
        else:
            # A batch of new keys only (every batch of a first import) is inserted without
            # ON CONFLICT: PostgreSQL then copies it straight into the table, not through the
            # staging table.
            try:
                with transaction.atomic():
                    sql.insert(ServiceRequest, _PER_ROW, prepared.values)
            except IntegrityError:
                # Another import stored one of these keys since the SELECT above, or a row is
                # refused (which the upsert raises again).
                sql.insert(ServiceRequest, _PER_ROW, prepared.values, upsert=True)
        if new_keys:
            wanted = set(new_keys)
            ids.update(
                (source_id, pk)
                for pk, source_id in sql.select_newer(ServiceRequest, source, before)
                if source_id in wanted
            )
            # A concurrent import of the same source may have stored one of them first.
            missing = [key for key in new_keys if key not in ids]
            ids.update(
                (source_id, pk)
                for pk, source_id in sql.select_by_keys(
                    ServiceRequest, ["id", "source_id"], source, missing
                )
            )
        updated_ids = [pk for pk, _ in existing.values()]
        answer_codes = sorted({code for row in rows for code in row.answers})
        if updated_ids:
            sql.delete_for_requests(RequestArea, updated_ids)
            if answer_codes:
                sql.delete_for_requests(RequestAnswer, updated_ids, attribute_code=answer_codes)
        sql.insert(
            RequestArea,
            ["request", "area"],
            (
                (ids[row.source_id], area.id)
                for row, found in zip(rows, areas, strict=True)
                for area in found
            ),
        )
        if answer_codes:
            sql.insert(
                RequestAnswer,
                ["request", "attribute_code", "value"],
                _answers(rows, ids),
            )
        sql.insert(
            RequestUpdate,
            _HISTORY_COLUMNS,
            _history(rows, ids, existing, _datetime_adapter(sql.connection)),
        )
    return BulkResult(created=len(new_keys), updated=len(existing))


def service_request_statistics_refresh() -> None:
    """Bring PostgreSQL's statistics of the request tables up to date after a bulk load.

    Until autovacuum next analyses the tables, minutes after a large load, it takes a million
    loaded requests for a handful and reads a whole 90-day window to sort it (450 ms for a
    listing at a million requests, 36 ms once analysed). Free text and unique keys have no
    statistics (migration 0004), which took this to less than half its cost.
    """
    statistics_refresh([ServiceRequest, RequestArea, RequestAnswer, RequestUpdate])


def _areas_by_row(rows: Sequence[HistoricRequest]) -> list[list[AreaRef]]:
    """The areas of each row: those its point falls in, then those it states for other layers.

    Each distinct point is matched once, and each distinct pair of point and stated areas
    combined once: rows that share them share one (read-only) list.
    """
    points = list(
        {
            (row.latitude, row.longitude)
            for row in rows
            if row.latitude is not None and row.longitude is not None
        }
    )
    in_point: dict[object, list[AreaRef]] = dict(zip(points, areas_for_points(points), strict=True))
    statements = {id(row.stated_areas): row.stated_areas for row in rows}
    stated = {(slug, code) for areas in statements.values() for slug, code in areas.items() if code}
    known = _stated_area_refs(stated) if stated else {}
    combined: dict[tuple[object, int], list[AreaRef]] = {}
    found = []
    for row in rows:
        key = ((row.latitude, row.longitude), id(row.stated_areas))
        areas = combined.get(key)
        if areas is None:
            areas = combined[key] = list(in_point.get(key[0], ()))
            for slug, code in row.stated_areas.items():
                ref = known.get((slug, code))
                if ref is not None and all(a.layer_id != ref.layer_id for a in areas):
                    areas.append(ref)
        found.append(areas)
    return found


def _stated_area_refs(stated: set[tuple[str, str]]) -> dict[tuple[str, str], AreaRef]:
    slugs = {slug for slug, _ in stated}
    codes = {code for _, code in stated}
    refs = {}
    areas = BoundaryArea.objects.filter(layer__slug__in=slugs, code__in=codes).values_list(
        "layer__slug", "code", "id", "layer_id", "layer__is_zipcode"
    )
    for slug, code, pk, layer_id, is_zipcode in areas:
        if (slug, code) in stated:
            refs[(slug, code)] = AreaRef(pk, layer_id, code, is_zipcode)
    return refs


def _request_values(
    rows: Sequence[HistoricRequest], areas: list[list[AreaRef]], db: Any
) -> list[tuple]:
    resolution = settings.CITYLINE_H3_RESOLUTION
    cell_of = h3.latlng_to_cell
    # Requests of one building share a point: each distinct point gets its cell once.
    cells: dict[tuple[float, float], str] = {}
    when = _datetime_adapter(db)
    now = when(clock.now())
    waiting = WAITING_STATUSES
    fields_json = _json_adapter(ServiceRequest, "source_fields")
    values = []
    for row, found, token in zip(rows, areas, _uuids(len(rows)), strict=True):
        zipcode = row.zipcode
        for area in found:
            if area.is_zipcode:
                zipcode = area.code
                break
        latitude, longitude = row.latitude, row.longitude
        if latitude is None or longitude is None:
            cell = ""
        else:
            cell = cells.get((latitude, longitude), "")
            if not cell:
                cell = cells[(latitude, longitude)] = cell_of(latitude, longitude, resolution)
        updated_at = when(row.updated_at)
        expected_at, closed_at = row.expected_at, row.closed_at
        values.append(
            (
                row.service_type_id,
                row.agency_id,
                row.description,
                row.status,
                row.resolution,
                row.status_notes,
                row.channel,
                row.priority,
                latitude,
                longitude,
                row.address,
                zipcode,
                cell,
                when(row.requested_at),
                updated_at,
                None if expected_at is None else when(expected_at),
                None if closed_at is None else when(closed_at),
                updated_at if row.status in waiting else None,
                fields_json(row.source_fields),
                row.tracking_number,
                token,
                row.source,
                row.source_id,
                now,
            )
        )
    return values


def _answers(rows: Sequence[HistoricRequest], ids: dict[str, int]) -> Iterable[tuple]:
    to_json = _json_adapter(RequestAnswer, "value")
    # Sources share one answers dict between rows that answer alike: adapt each dict once.
    adapted: dict[int, list[tuple[str, object]]] = {}
    for row in rows:
        answers = row.answers
        if not answers:
            continue
        pairs = adapted.get(id(answers))
        if pairs is None:
            pairs = adapted[id(answers)] = [
                (code, to_json(text)) for code, text in answers.items() if text
            ]
        pk = ids[row.source_id]
        for code, value in pairs:
            yield (pk, code, value)


# Choices as plain text: the database drivers bind a str several times faster than an enum member.
_NEW, _CLOSED = Status.NEW.value, Status.CLOSED.value
_CREATED, _REOPENED = UpdateKind.CREATED.value, UpdateKind.REOPENED.value
_STATUS_CHANGED = UpdateKind.STATUS_CHANGED.value
_PUBLIC, _IMPORT = Visibility.PUBLIC.value, Channel.IMPORT.value

_HISTORY_COLUMNS = [
    "public_id",
    "request",
    "kind",
    "status",
    "resolution",
    "note",
    "visibility",
    "via",
    "occurred_at",
]


def _history(
    rows: Sequence[HistoricRequest],
    ids: dict[str, int],
    existing: dict[str, tuple[int, str]],
    when: Callable[[datetime], object],
) -> list[tuple]:
    """The entries a batch adds: one per new request, the change of status for stored ones.

    A new request's one entry tells the state it arrives in: `closed` (at its closing time,
    with its resolution and note) if closed, else `created` at its request time. Its other
    times are on the request itself.
    """
    closed, new, created = _CLOSED, _NEW, _CREATED
    entries = []
    for row in rows:
        pk = ids[row.source_id]
        was = existing.get(row.source_id)
        status = row.status
        if was is None:
            if status == closed:
                at = row.closed_at or row.updated_at
                entries.append((pk, closed, closed, row.resolution, row.status_notes, when(at)))
            else:
                entries.append((pk, created, new, "", "", when(row.requested_at)))
        elif status != was[1]:
            if status == closed:
                kind, at = closed, row.closed_at or row.updated_at
            elif was[1] == closed:
                kind, at = _REOPENED, row.updated_at
            else:
                kind, at = _STATUS_CHANGED, row.updated_at
            entries.append((pk, kind, status, row.resolution, row.status_notes, when(at)))
    public, via = _PUBLIC, _IMPORT
    return [
        (public_id, pk, kind, status, resolution, note, public, via, at)
        for public_id, (pk, kind, status, resolution, note, at) in zip(
            _uuids(len(entries)), entries, strict=True
        )
    ]


def _concrete_field(model: type[models.Model], name: str) -> models.Field:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a column")
    return found


def _column(field: models.Field) -> str:
    return cast(str, field.column)


class _UuidHexBinaryDumper(Dumper):
    """A UUID given as 32 hex digits (`_uuids`), in PostgreSQL's binary form: its 16 bytes."""

    format = Format.BINARY
    oid = postgres.types["uuid"].oid

    def dump(self, obj: str) -> bytes:
        return bytes.fromhex(obj)


class _JsonTextBinaryDumper(Dumper):
    """JSON text (`_json_adapter`) in `jsonb`'s binary form: a version byte, then the text."""

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: str) -> bytes:
        return b"\x01" + obj.encode()


class _Sql:
    """Plain SQL over the ORM's table and column names, the same statements on every backend.

    Statements go through the driver's own DB-API cursor on Django's connection (so inside the
    same transaction), binding parameters natively: Django's PostgreSQL cursor quotes each value
    into the SQL text in Python, which costs more than the database's work at this volume.
    Values are adapted by Django's own rules first, once per value.
    """

    # Rows per INSERT statement: long statements cost no more per row, and the driver takes
    # Python's lock back after each one, which the storing thread of an import has to wait for
    # while the parsing thread holds it: a few long statements a batch, not hundreds of short.
    ROWS_PER_STATEMENT = 500

    def __init__(self) -> None:
        self.connection = connection
        self.quote = connection.ops.quote_name
        # Django's own, conservative, limit for one statement; PostgreSQL has none that matters.
        self.max_params = connection.features.max_query_params or 20_000
        # The driver's own cursor (sqlite3 or psycopg), or Django's where a driver has none.
        self.cursor: Any = None
        self.mark = "%s"

    def __enter__(self) -> "_Sql":
        self.connection.ensure_connection()
        database = cast(Any, self.connection).Database
        native = getattr(database, "Cursor", None)  # sqlite3 and psycopg 3 name it so
        if native is not None:
            self.cursor = native(self.connection.connection)
            self.mark = "?" if database.paramstyle == "qmark" else "%s"
            if self.connection.vendor == "postgresql":
                for dumper in (_UuidHexBinaryDumper, _JsonTextBinaryDumper):
                    self.cursor.adapters.register_dumper(None, dumper)
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

    def marks(self, count: int) -> str:
        return ", ".join([self.mark] * count)

    def table(self, model: type[models.Model]) -> str:
        return self.quote(model._meta.db_table)

    def column(self, model: type[models.Model], name: str) -> str:
        return self.quote(_column(_concrete_field(model, name)))

    def select_by_keys(
        self, model: type[models.Model], names: list[str], source: str, keys: Sequence[str]
    ) -> list[tuple]:
        columns = ", ".join(self.column(model, name) for name in names)
        found: list[tuple] = []
        if self.connection.vendor == "postgresql":
            # One array parameter: PostgreSQL plans it faster than thousands of parameters.
            self.execute(
                f"SELECT {columns} FROM {self.table(model)} "
                f"WHERE {self.column(model, 'source')} = %s "
                f"AND {self.column(model, 'source_id')} = ANY(%s)",
                [source, list(keys)],
            )
            with self.connection.wrap_database_errors:
                return self.cursor.fetchall()
        per_query = max(1, self.max_params - 1)
        for start in range(0, len(keys), per_query):
            chunk = keys[start : start + per_query]
            self.execute(
                f"SELECT {columns} FROM {self.table(model)} "
                f"WHERE {self.column(model, 'source')} = {self.mark} "
                f"AND {self.column(model, 'source_id')} IN ({self.marks(len(chunk))})",
                [source, *chunk],
            )
            with self.connection.wrap_database_errors:
                found.extend(self.cursor.fetchall())
        return found

    def max_id(self, model: type[models.Model]) -> int:
        self.execute(f"SELECT MAX({self.column(model, 'id')}) FROM {self.table(model)}", [])
        with self.connection.wrap_database_errors:
            return self.cursor.fetchone()[0] or 0

    def select_newer(self, model: type[models.Model], source: str, after: int) -> list[tuple]:
        self.execute(
            f"SELECT {self.column(model, 'id')}, {self.column(model, 'source_id')} "
            f"FROM {self.table(model)} WHERE {self.column(model, 'id')} > {self.mark} "
            f"AND {self.column(model, 'source')} = {self.mark}",
            [after, source],
        )
        with self.connection.wrap_database_errors:
            return self.cursor.fetchall()

    def delete_for_requests(
        self, model: type[models.Model], request_ids: Sequence[int], **equal_any: list[str]
    ) -> None:
        extra_sql, extra_params = "", []
        for name, values in equal_any.items():
            extra_sql += f" AND {self.column(model, name)} IN ({self.marks(len(values))})"
            extra_params.extend(values)
        per_query = max(1, self.max_params - len(extra_params))
        for start in range(0, len(request_ids), per_query):
            chunk = list(request_ids[start : start + per_query])
            self.execute(
                f"DELETE FROM {self.table(model)} "
                f"WHERE {self.column(model, 'request')} IN ({self.marks(len(chunk))})" + extra_sql,
                [*chunk, *extra_params],
            )

    def insert(
        self,
        model: type[models.Model],
        names: list[str],
        values: Iterable[tuple],
        *,
        upsert: bool = False,
    ) -> None:
        """INSERT rows (tuples in the order of `names`); other columns take their defaults.

        With `upsert` (ServiceRequest), a row whose (source, source_id) is stored updates it.
        """
        opts = model._meta
        given = [_concrete_field(model, name) for name in names]
        defaults = [
            f for f in opts.concrete_fields if not f.primary_key and f not in given and not f.null
        ]
        default_values = tuple(
            f.get_db_prep_save(f.get_default(), self.connection) for f in defaults
        )
        columns = ", ".join(self.quote(_column(f)) for f in [*given, *defaults])
        conflict = ""
        if upsert:
            updates = ", ".join(
                f"{self.column(model, name)} = EXCLUDED.{self.column(model, name)}"
                for name in _UPDATABLE
            )
            conflict = (
                f" ON CONFLICT ({self.column(model, 'source')}, "
                f"{self.column(model, 'source_id')}) DO UPDATE SET {updates}"
            )
        rows = (row + default_values for row in values) if default_values else values
        if self.connection.vendor == "postgresql":
            self._copy(model, columns, conflict, rows)
        else:
            self._insert_values(model, columns, len(given) + len(defaults), conflict, rows)

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


def _uuids(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as 32 hex digits, which every backend accepts."""
    digits = os.urandom(16 * count).hex()
    return [
        f"{digits[i : i + 12]}4{digits[i + 13 : i + 16]}"
        f"{_VARIANT[digits[i + 16]]}{digits[i + 17 : i + 32]}"
        for i in range(0, 32 * count, 32)
    ]


def _json_adapter(model: type[models.Model], name: str) -> Callable[[str | dict[str, str]], str]:
    """The JSON text of values of a JSON column, each written once: texts by value, dicts by
    identity (a batch's rows share one dict when they hold the same, and keep it alive while
    adapted). Both backends take the text as it is: SQLite stores it, and PostgreSQL's COPY
    reads it into `jsonb`, where a driver's JSON wrapper would be serialised again per row."""
    encoder = cast(models.JSONField, _concrete_field(model, name)).encoder
    cache: dict[str | int, str] = {}

    def adapt(value: str | dict[str, str]) -> str:
        key = value if isinstance(value, str) else id(value)
        adapted = cache.get(key)
        if adapted is None:
            adapted = json.dumps(value, cls=encoder)
            if len(cache) < 10_000:
                cache[key] = adapted
        return adapted

    return adapt


def _datetime_adapter(db: Any) -> Callable[[datetime], object]:
    """How the backend takes a datetime: Django's adapter, with a fast path for UTC.

    Django stores UTC; on SQLite as text `YYYY-MM-DD HH:MM:SS[.ffffff]`. For a value already in
    UTC that text is its `isoformat(" ")` less the offset, at a fraction of the generic cost. A
    naive value is taken to be in the city's time zone, as a model field would take it. Values
    repeat within a batch (a request's times are also its history's), so each is adapted once.
    """
    adapt = db.ops.adapt_datetimefield_value
    sample = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)
    text_in_utc = adapt(sample) == "2001-02-03 04:05:06"
    isoformat = datetime.isoformat
    adapted: dict[datetime, object] = {}

    def when(value: datetime) -> object:
        found = adapted.get(value)
        if found is None:
            if value.tzinfo is UTC and text_in_utc:
                found = isoformat(value, " ")[:-6]
            else:
                found = adapt(timezone.make_aware(value) if value.tzinfo is None else value)
            adapted[value] = found
        return found

    return when
