"""The store's Parquet schema, and the conversion of database rows into it.

Two tables, each a folder of Hive partitions by the city's month of the request's receipt
(`requests/month=2026-03/data.parquet`, `events/month=2026-03/data.parquet`): a request and its
history always sit in the same month, so a refresh rewrites both for the months it touches.
Times are instants in UTC; `requested_on` is the city's calendar day. No personal data: no
requester, no description, no note, no address or coordinates (the H3 cell locates a request).
docs/analytics.md describes every column.
"""

from collections import defaultdict
from datetime import date, datetime

import pyarrow as pa

from cityline.contacts.selectors import CHANGED_CONTACT_FIELDS
from cityline.core import clock
from cityline.servicerequests.changes import CHANGED_REQUEST_FIELDS, HISTORY_FIELDS

PARTITION = "month"
UTC_TIME = pa.timestamp("us", tz="UTC")

# What a request is and where it stands, as the store and the open-data export both publish it:
# (column, type, the field of `REQUEST_CATEGORY_FIELDS` it is read from).
REQUEST_CATEGORY_COLUMNS: tuple[tuple[str, pa.DataType, str], ...] = (
    ("service_code", pa.string(), "service_type__code"),
    ("service_name", pa.string(), "service_type__name"),
    ("service_group", pa.string(), "service_type__group__name"),
    ("agency_code", pa.string(), "agency__code"),
    ("agency_name", pa.string(), "agency__name"),
    ("channel", pa.string(), "channel"),
    ("proactive", pa.bool_(), "proactive"),
    ("priority", pa.string(), "priority"),
    ("status", pa.string(), "status"),
)


def request_category_fields() -> list[tuple[str, pa.DataType]]:
    """The category columns as schema fields."""
    return [(name, data_type) for name, data_type, _ in REQUEST_CATEGORY_COLUMNS]


def request_category_values(row: tuple, index: dict[str, int]) -> dict[str, object]:
    """A database row's category columns; `index` places each field in the row."""
    return {name: row[index[field]] for name, _, field in REQUEST_CATEGORY_COLUMNS}


REQUEST_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("tracking_number", pa.string()),
        *request_category_fields(),
        ("resolution", pa.string()),
        ("requested_at", UTC_TIME),
        ("requested_on", pa.date32()),
        ("acknowledge_due_at", UTC_TIME),
        ("expected_at", UTC_TIME),
        ("closed_at", UTC_TIME),
        ("updated_at", UTC_TIME),
        ("on_time", pa.bool_()),
        ("late_close_reason", pa.string()),
        ("areas", pa.map_(pa.string(), pa.string())),
        ("h3_cell", pa.string()),
        ("demand", pa.int32()),
        ("source", pa.string()),
    ]
)

EVENT_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("request_id", pa.int64()),
        ("kind", pa.string()),
        ("status", pa.string()),
        ("visibility", pa.string()),
        ("occurred_at", UTC_TIME),
        ("via", pa.string()),
    ]
)

# Contacts, by the city's month of `queued_at`: the contact center's figures. No agent, caller,
# note or article.
CONTACT_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("channel", pa.string()),
        ("kind", pa.string()),
        ("language", pa.string()),
        ("queue", pa.string()),
        ("queued_at", UTC_TIME),
        ("queued_on", pa.date32()),
        ("answered_at", UTC_TIME),
        ("ended_at", UTC_TIME),
        ("request_ids", pa.list_(pa.int64())),
    ]
)

_REQUEST = {name: i for i, name in enumerate(CHANGED_REQUEST_FIELDS)}
_EVENT = {name: i for i, name in enumerate(HISTORY_FIELDS)}
_CONTACT = {name: i for i, name in enumerate(CHANGED_CONTACT_FIELDS)}


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def on_time(*, expected_at: datetime | None, closed_at: datetime | None) -> bool | None:
    """Closed by its due time; None while open or when the request had no due time."""
    if expected_at is None or closed_at is None:
        return None
    return closed_at <= expected_at


def _blank_to_none(value: str | None) -> str | None:
    return value or None


def requests_by_month(rows: list[tuple], areas: list[tuple[int, str, str]]) -> dict[str, pa.Table]:
    """Database rows (in `CHANGED_REQUEST_FIELDS` order) as one table per month of receipt."""
    areas_of: dict[int, dict[str, str]] = defaultdict(dict)
    for request_id, layer, code in areas:
        areas_of[request_id].setdefault(layer, code)
    columns: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        requested_on = clock.to_city_time(row[_REQUEST["requested_at"]]).date()
        out = columns[month_of(requested_on)]
        out["id"].append(row[_REQUEST["id"]])
        out["tracking_number"].append(row[_REQUEST["tracking_number"]])
        for name, value in request_category_values(row, _REQUEST).items():
            out[name].append(value)
        out["resolution"].append(_blank_to_none(row[_REQUEST["resolution"]]))
        out["requested_at"].append(row[_REQUEST["requested_at"]])
        out["requested_on"].append(requested_on)
        out["acknowledge_due_at"].append(row[_REQUEST["acknowledge_due_at"]])
        out["expected_at"].append(row[_REQUEST["expected_at"]])
        out["closed_at"].append(row[_REQUEST["closed_at"]])
        out["updated_at"].append(row[_REQUEST["updated_at"]])
        out["on_time"].append(
            on_time(expected_at=row[_REQUEST["expected_at"]], closed_at=row[_REQUEST["closed_at"]])
        )
        out["late_close_reason"].append(row[_REQUEST["late_close_reason__name"]])
        out["areas"].append(list(areas_of.get(row[_REQUEST["id"]], {}).items()))
        out["h3_cell"].append(_blank_to_none(row[_REQUEST["h3_cell"]]))
        out["demand"].append(row[_REQUEST["demand"]])
        out["source"].append(_blank_to_none(row[_REQUEST["source"]]))
    return {
        month: pa.table(
            [pa.array(values[field.name], type=field.type) for field in REQUEST_SCHEMA],
            schema=REQUEST_SCHEMA,
        )
        for month, values in columns.items()
    }


def events_by_month(rows: list[tuple], month_of_request: dict[int, str]) -> dict[str, pa.Table]:
    """History rows (in `HISTORY_FIELDS` order) as one table per month of their request."""
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[month_of_request[row[_EVENT["request_id"]]]].append(row)
    return {
        month: pa.table(
            [
                pa.array([row[_EVENT[field.name]] for row in month_rows], type=field.type)
                for field in EVENT_SCHEMA
            ],
            schema=EVENT_SCHEMA,
        )
        for month, month_rows in grouped.items()
    }


def contacts_by_month(rows: list[tuple], links: list[tuple[int, int]]) -> dict[str, pa.Table]:
    """Contact rows (in `CHANGED_CONTACT_FIELDS` order) with their (contact id, request id)
    links, as one table per month of `queued_at`."""
    requests_of: dict[int, list[int]] = defaultdict(list)
    for contact_id, request_id in links:
        requests_of[contact_id].append(request_id)
    columns: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        queued_on = clock.to_city_time(row[_CONTACT["queued_at"]]).date()
        out = columns[month_of(queued_on)]
        for name in ("id", "channel", "queued_at", "answered_at", "ended_at"):
            out[name].append(row[_CONTACT[name]])
        for name in ("kind", "language", "queue"):
            out[name].append(_blank_to_none(row[_CONTACT[name]]))
        out["queued_on"].append(queued_on)
        out["request_ids"].append(requests_of.get(row[_CONTACT["id"]], []))
    return {
        month: pa.table(
            [pa.array(values[field.name], type=field.type) for field in CONTACT_SCHEMA],
            schema=CONTACT_SCHEMA,
        )
        for month, values in columns.items()
    }
