"""Loading historic requests in bulk: importers and the demo city both come through here.

The rules of a load: rows are upserted by (source, source_id), so loading the same data twice
updates, never duplicates; a request's areas come from its point, then from the areas its source
states; a new request gets one history entry for the state it arrives in, a stored one an entry
per change of status; a re-import keeps a request's tracking number, token and creation time.

A batch is prepared in Python first (`service_request_bulk_prepare`: areas, cells, values adapted
for the database), then stored in one transaction of a handful of statements whatever its size
(`service_request_bulk_store`), written by `cityline.core.inserts.rows.RowWriter` with no model
instance per row (docs/adr/0006-bulk-loading.md).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import h3
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from cityline.core import clock
from cityline.core.inserts.indexes import indexes_deferred, indexes_restore
from cityline.core.inserts.rows import RowWriter
from cityline.core.inserts.values import datetime_adapter, json_text_adapter, uuids_hex
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
_KEY = ["source", "source_id"]


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
    # The history entry of each row if it is new, but for its request's id (`_arrivals`).
    arrivals: list[tuple]


def service_request_bulk_prepare(*, rows: Sequence[HistoricRequest]) -> PreparedRequests:
    """The half of an upsert done in Python, which reads boundary areas but writes nothing: an
    import prepares one batch while the batch before it is stored."""
    if not rows:
        return PreparedRequests(source="", rows=[], areas=[], values=[], arrivals=[])
    source = rows[0].source
    if any(row.source != source for row in rows):
        raise ValueError("one batch holds rows of one source")
    unique = list({row.source_id: row for row in rows}.values())
    areas = _areas_by_row(unique)
    # One adapter for both: a request's times are also its history's.
    when = datetime_adapter(connection)
    return PreparedRequests(
        source=source,
        rows=unique,
        areas=areas,
        values=_request_values(unique, areas, when),
        arrivals=_arrivals(unique, when),
    )


def service_request_bulk_store(*, prepared: PreparedRequests) -> BulkResult:
    """Store a prepared batch in one transaction: the requests, their areas, answers and
    history."""
    source, rows, areas = prepared.source, prepared.rows, prepared.areas
    if not rows:
        return BulkResult(0, 0)
    keys = [row.source_id for row in rows]

    with transaction.atomic(), RowWriter() as sql:
        existing = {
            source_id: (pk, status)
            for pk, source_id, status in sql.select_in(
                ServiceRequest,
                ["id", "source_id", "status"],
                equal=("source", source),
                within=("source_id", keys),
            )
        }
        new_keys = [key for key in keys if key not in existing]
        ids = {key: pk for key, (pk, _) in existing.items()}
        # New rows take ids above every id there is now: find them by a range, not by keys.
        before = sql.max_id(ServiceRequest) if new_keys else 0
        if existing:
            sql.insert(ServiceRequest, _PER_ROW, prepared.values, conflict=_KEY, update=_UPDATABLE)
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
                sql.insert(
                    ServiceRequest, _PER_ROW, prepared.values, conflict=_KEY, update=_UPDATABLE
                )
        if new_keys:
            wanted = set(new_keys)
            ids.update(
                (source_id, pk)
                for pk, source_id in sql.select_after(
                    ServiceRequest, ["id", "source_id"], after_id=before, equal=("source", source)
                )
                if source_id in wanted
            )
            # A concurrent import of the same source may have stored one of them first.
            missing = [key for key in new_keys if key not in ids]
            ids.update(
                (source_id, pk)
                for pk, source_id in sql.select_in(
                    ServiceRequest,
                    ["id", "source_id"],
                    equal=("source", source),
                    within=("source_id", missing),
                )
            )
        updated_ids = [pk for pk, _ in existing.values()]
        answer_codes = sorted({code for row in rows for code in row.answers})
        if updated_ids:
            sql.delete_in(RequestArea, within=("request", updated_ids))
            if answer_codes:
                sql.delete_in(
                    RequestAnswer,
                    within=("request", updated_ids),
                    also_within=("attribute_code", answer_codes),
                )
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
            _history(prepared, ids, existing, datetime_adapter(sql.connection)),
        )
    return BulkResult(created=len(new_keys), updated=len(existing))


def service_request_statistics_refresh() -> None:
    """Bring PostgreSQL's statistics of the request tables up to date after a bulk load, so the
    planner knows how many requests there are before autovacuum gets to them. Free text and
    unique keys have no statistics (migration 0004), so it reads only what queries plan by
    (docs/adr/0006-bulk-loading.md)."""
    statistics_refresh([ServiceRequest, RequestArea, RequestAnswer, RequestUpdate])


# The indexes a large load may set aside (`cityline.core.inserts.indexes`): those that hold every
# imported request and are neither a unique key nor read by the load itself, led by a time or a
# place, so a batch's rows land all over them. The work queues' indexes are kept up to date: their
# keys lead with an agency and a status, so a batch's rows land on a few pages of them (and on none
# of the open requests' index once closed), and the queue pages read them during a load.
DEFERRABLE_INDEXES = {
    ServiceRequest: [
        "sr_requested_idx",
        "sr_type_requested_idx",
        "sr_status_requested_idx",
        "sr_cell_requested_idx",
        "sr_map_idx",
        "sr_updated_idx",
    ],
    RequestUpdate: ["update_occurred_idx"],
}


def service_request_load_is_large(*, rows: int) -> bool:
    """Whether a load of at least `rows` requests is large enough to build the request tables'
    deferrable indexes after it instead of as it goes: when fewer requests are stored than it
    brings (a city's first load). A load into a table that holds more keeps them up to date, so
    the pages that read them stay fast meanwhile."""
    return not ServiceRequest.objects.all()[rows - 1 : rows].exists()


@contextmanager
def service_request_indexes_deferred() -> Iterator[None]:
    """Drop the deferrable indexes of the request tables for a large load outside a transaction,
    and build them again after it, however it ends (docs/adr/0006-bulk-loading.md)."""
    with indexes_deferred(DEFERRABLE_INDEXES):
        yield


def service_request_indexes_restore() -> list[str]:
    """Build the deferrable indexes a load that died left missing; return their names."""
    return indexes_restore(DEFERRABLE_INDEXES)


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
    rows: Sequence[HistoricRequest],
    areas: list[list[AreaRef]],
    when: Callable[[datetime], object],
) -> list[tuple]:
    resolution = settings.CITYLINE_H3_RESOLUTION
    cell_of = h3.latlng_to_cell
    # Requests of one building share a point: each distinct point gets its cell once.
    cells: dict[tuple[float, float], str] = {}
    now = when(clock.now())
    waiting = WAITING_STATUSES
    fields_json = json_text_adapter(ServiceRequest, "source_fields")
    values = []
    for row, found, token in zip(rows, areas, uuids_hex(len(rows)), strict=True):
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
    to_json = json_text_adapter(RequestAnswer, "value")
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


def _arrivals(rows: Sequence[HistoricRequest], when: Callable[[datetime], object]) -> list[tuple]:
    """Each row's history entry if it is a new request (without its request's id): the state it
    arrives in, `closed` (at its closing time, with its resolution and note) if closed, else
    `created` at its request time. Its other times are on the request itself."""
    closed, new, created, public, via = _CLOSED, _NEW, _CREATED, _PUBLIC, _IMPORT
    arrivals = []
    for row, public_id in zip(rows, uuids_hex(len(rows)), strict=True):
        if row.status == closed:
            at = row.closed_at or row.updated_at
            arrivals.append(
                (public_id, closed, closed, row.resolution, row.status_notes, public, via, when(at))
            )
        else:
            arrivals.append((public_id, created, new, "", "", public, via, when(row.requested_at)))
    return arrivals


def _history(
    prepared: PreparedRequests,
    ids: dict[str, int],
    existing: dict[str, tuple[int, str]],
    when: Callable[[datetime], object],
) -> list[tuple]:
    """The entries a batch adds: one per new request (its arrival), the change of status for
    stored ones."""
    closed = _CLOSED
    entries = []
    changes = []
    for row, arrival in zip(prepared.rows, prepared.arrivals, strict=True):
        pk = ids[row.source_id]
        was = existing.get(row.source_id)
        if was is None:
            public_id, *entry = arrival
            entries.append((public_id, pk, *entry))
        elif row.status != was[1]:
            if row.status == closed:
                kind, at = closed, row.closed_at or row.updated_at
            elif was[1] == closed:
                kind, at = _REOPENED, row.updated_at
            else:
                kind, at = _STATUS_CHANGED, row.updated_at
            changes.append((pk, kind, row.status, row.resolution, row.status_notes, when(at)))
    entries.extend(
        (public_id, pk, kind, status, resolution, note, _PUBLIC, _IMPORT, at)
        for public_id, (pk, kind, status, resolution, note, at) in zip(
            uuids_hex(len(changes)), changes, strict=True
        )
    )
    return entries
