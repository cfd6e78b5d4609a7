"""Figures about an agency's whole workload rather than one row per type: the time to close of
all the requests of a selection together, the backlog by age, and the oldest open requests. Read
from the store with DuckDB, like `analytics.queries`, whose selection, sources and definitions
they share.

The backlog is what the store holds as still open among the requests received before a day,
aged at a moment (`as_of`): the store keeps each request's present status, not its past ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from cityline.analytics.queries import (
    Selection,
    _conditions,
    _layer_check,
    _requests_from,
    _run,
    _store_empty,
    month_bounds,
)
from cityline.analytics.store import REQUESTS, months_stored

# Ages in days: [0, 7), [7, 30), [30, 90), [90, ∞).
AGE_LIMITS = (7, 30, 90)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class CloseTimes(NamedTuple):
    closed: int
    median_days: float | None
    p90_days: float | None


class BacklogBucket(NamedTuple):
    """Open requests at least `low` days old and younger than `high` (None: no upper bound)."""

    low: int
    high: int | None
    requests: int


class OpenRequest(NamedTuple):
    tracking_number: str
    service_type: str
    service_name: str
    area: str | None
    requested_at: datetime
    age_days: float


def close_times(*, start: date, end: date, selection: Selection | None = None) -> CloseTimes:
    """Of the requests received from `start` to before `end`, those closed: how many, and the
    median and 90th-percentile days from receipt to (last) close."""
    selection = selection or Selection()
    _layer_check(selection, needed=False)
    if end <= start or _store_empty():
        return CloseTimes(0, None, None)
    params: dict[str, Any] = {}
    conditions = [*_conditions(selection, params), "closed_at IS NOT NULL"]
    source = _requests_from(start, end, params)
    where = "".join(f" AND {condition}" for condition in conditions)
    sql = f"""
        SELECT count(*), quantile_cont(days, 0.5), quantile_cont(days, 0.9)
        FROM (
            SELECT (epoch(closed_at) - epoch(requested_at)) / 86400 AS days
            FROM {source}{where}
        )
    """
    return CloseTimes(*_run(sql, params)[0])


def _open_before(end: date, selection: Selection, params: dict[str, Any]) -> str | None:
    """The open requests of `selection` received before `end`, from the store's first month;
    None when the store holds none so early."""
    stored = sorted(month for month in months_stored(REQUESTS))
    if not stored or end <= month_bounds(stored[0])[0]:
        return None
    conditions = [*_conditions(selection, params), "status <> 'closed'"]
    source = _requests_from(month_bounds(stored[0])[0], end, params)
    return source + "".join(f" AND {condition}" for condition in conditions)


def backlog_ages(
    *, end: date, as_of: datetime, selection: Selection | None = None
) -> list[BacklogBucket]:
    """The requests received before `end` still open, counted by their age at `as_of` in the
    buckets of `AGE_LIMITS`, every bucket listed (youngest first), empty ones too."""
    selection = selection or Selection()
    _layer_check(selection, needed=False)
    params: dict[str, Any] = {"as_of": as_of}
    source = _open_before(end, selection, params)
    counted: dict[int, int] = {}
    if source is not None:
        cases = " ".join(
            f"WHEN age < {limit} THEN {index}" for index, limit in enumerate(AGE_LIMITS)
        )
        sql = f"""
            SELECT CASE {cases} ELSE {len(AGE_LIMITS)} END AS bucket, count(*)
            FROM (
                SELECT (epoch($as_of::TIMESTAMPTZ) - epoch(requested_at)) / 86400 AS age
                FROM {source}
            )
            GROUP BY bucket
        """
        counted = dict(_run(sql, params))
    lows = (0, *AGE_LIMITS)
    highs = (*AGE_LIMITS, None)
    return [
        BacklogBucket(low, high, counted.get(index, 0))
        for index, (low, high) in enumerate(zip(lows, highs, strict=True))
    ]


def oldest_open(
    *, end: date, as_of: datetime, selection: Selection | None = None, limit: int = 10
) -> list[OpenRequest]:
    """The requests received before `end` still open, oldest first, at most `limit`, each with
    its district (of `selection.layer`) and its age in days at `as_of`."""
    selection = selection or Selection()
    _layer_check(selection, needed=False)
    params: dict[str, Any] = {"as_of": as_of, "limit": limit}
    source = _open_before(end, selection, params)
    if source is None:
        return []
    area = "areas[$layer]" if selection.layer else "NULL::VARCHAR"
    sql = f"""
        SELECT tracking_number, service_code, service_name, {area}, epoch_us(requested_at),
               (epoch($as_of::TIMESTAMPTZ) - epoch(requested_at)) / 86400
        FROM {source}
        ORDER BY requested_at, id
        LIMIT $limit
    """
    # Microseconds since the epoch: a time with its zone would need pytz on the way out.
    return [
        OpenRequest(row[0], row[1], row[2], row[3], _EPOCH + timedelta(microseconds=row[4]), row[5])
        for row in _run(sql, params)
    ]
