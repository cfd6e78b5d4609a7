"""Every performance figure, read from the store with DuckDB: volume over time, SLA compliance,
and the tracking numbers behind a figure.

Each function opens its own in-memory DuckDB connection over the month partitions it needs, so a
view calls it as it would a selector. Days, weeks and months are the city's (`requested_on`);
a month's compliance figures describe the requests received in that month. Proactive requests
(filed by the city itself) are counted apart in every row: `requests` counts all, `proactive`
those among them.
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import duckdb

from cityline.analytics.schema import PARTITION, month_of
from cityline.analytics.store import REQUESTS, months_stored, table_glob
from cityline.core import clock
from cityline.core.errors import InvalidInput


class Period(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Dimension(enum.StrEnum):
    CHANNEL = "channel"
    SERVICE_GROUP = "service_group"
    SERVICE_TYPE = "service_type"
    AGENCY = "agency"
    DISTRICT = "district"


class Subset(enum.StrEnum):
    """Which of a selection's requests a drill-down lists."""

    RECEIVED = "received"
    CLOSED = "closed"
    ON_TIME = "on_time"
    LATE = "late"
    BACKLOG = "backlog"


@dataclass(frozen=True)
class Selection:
    """The requests a figure is about. `layer` names the boundary layer whose areas are the
    districts (its slug); `area` then keeps one of them (its code). None keeps all."""

    agency: str | None = None
    service_type: str | None = None
    service_group: str | None = None
    channel: str | None = None
    layer: str | None = None
    area: str | None = None
    proactive: bool | None = None
    # Service types left out: the public pages leave out those whose requests the public never
    # sees (catalog: hidden and staff-only types).
    excluded_service_types: frozenset[str] = frozenset()

    def narrowed(self, dimension: Dimension, key: str | None) -> Selection:
        """The same selection kept to one key of a dimension: a volume row's requests."""
        if dimension == Dimension.CHANNEL:
            return replace(self, channel=key)
        if dimension == Dimension.SERVICE_GROUP:
            return replace(self, service_group=key)
        if dimension == Dimension.SERVICE_TYPE:
            return replace(self, service_type=key)
        if dimension == Dimension.AGENCY:
            return replace(self, agency=key)
        return replace(self, area=key)


class Place(enum.StrEnum):
    """What a hot spot is: an H3 cell (the store's resolution) or a district of a layer."""

    CELL = "cell"
    DISTRICT = "district"


class VolumePoint(NamedTuple):
    period: date
    key: str | None
    requests: int
    proactive: int
    year_before: int
    year_before_proactive: int


class ComplianceRow(NamedTuple):
    month: str
    agency: str
    service_type: str
    service_name: str
    area: str | None
    requests: int
    proactive: int
    closed: int
    # Closed requests that had a due time: the base of the on-time share.
    closed_with_due: int
    on_time: int
    on_time_share: float | None
    median_hours_to_close: float | None
    p90_hours_to_close: float | None
    backlog: int
    backlog_median_age_days: float | None
    backlog_oldest_age_days: float | None
    late: int
    # Late closes by the reason given; "" counts those closed late without one.
    late_by_reason: dict[str, int]


class HotSpot(NamedTuple):
    key: str
    requests: int
    proactive: int
    # Requests a day over the period, and the place's share of all the selection's located ones.
    per_day: float
    share: float


class Summary(NamedTuple):
    key: str | None
    name: str | None
    requests: int
    closed: int
    closed_with_due: int
    on_time: int
    on_time_share: float | None
    median_hours_to_close: float | None


class ReportRow(NamedTuple):
    service_group: str | None
    service_type: str
    service_name: str
    agency: str
    agency_name: str
    area: str | None
    received: int
    open: int
    closed: int
    # Closed requests by resolution (completed, duplicate, referred…).
    resolutions: dict[str, int]
    average_days_to_close: float | None


DIMENSION_COLUMNS = {
    Dimension.CHANNEL: "channel",
    Dimension.SERVICE_GROUP: "service_group",
    Dimension.SERVICE_TYPE: "service_code",
    Dimension.AGENCY: "agency_code",
    Dimension.DISTRICT: "areas[$layer]",
}

SUBSET_CONDITIONS = {
    Subset.RECEIVED: "true",
    Subset.CLOSED: "closed_at IS NOT NULL",
    Subset.ON_TIME: "on_time",
    Subset.LATE: "NOT on_time",
    Subset.BACKLOG: "status <> 'closed'",
}


def month_bounds(month: str) -> tuple[date, date]:
    """The first day of a `YYYY-MM` month and the first day after it."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError as error:
        raise InvalidInput(f"not a month (YYYY-MM): {month!r}", field="month") from error
    return first, first + timedelta(days=calendar.monthrange(year, number)[1])


def year_before(day: date) -> date:
    """The same day a year before; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def period_start(day: date, period: Period) -> date:
    if period == Period.DAY:
        return day
    if period == Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _layer_check(selection: Selection, *, needed: bool) -> None:
    if (needed or selection.area is not None) and not selection.layer:
        raise InvalidInput("districts need a boundary layer", field="layer")


def _conditions(selection: Selection, params: dict[str, Any]) -> list[str]:
    conditions = []
    for column, value in (
        ("agency_code", selection.agency),
        ("service_code", selection.service_type),
        ("service_group", selection.service_group),
        ("channel", selection.channel),
        ("proactive", selection.proactive),
    ):
        if value is not None:
            conditions.append(f"{column} = ${column}")
            params[column] = value
    if selection.excluded_service_types:
        conditions.append("NOT list_contains($excluded, service_code)")
        params["excluded"] = sorted(selection.excluded_service_types)
    if selection.layer:
        params["layer"] = selection.layer
    if selection.area is not None:
        conditions.append("areas[$layer] = $area")
        params["area"] = selection.area
    return conditions


def _run(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    # DuckDB refuses a named parameter the statement does not use (the layer, when no column
    # reads it).
    used = {name: value for name, value in params.items() if re.search(rf"\${name}\b", sql)}
    with duckdb.connect() as connection:
        return connection.execute(sql, used).fetchall()


def _requests_from(first: date, end: date, params: dict[str, Any]) -> str:
    """The request rows received from `first` to before `end`, reading only their months."""
    params.update(
        glob=table_glob(REQUESTS),
        first_day=first,
        end_day=end,
        first_month=month_of(first),
        last_month=month_of(end - timedelta(days=1)),
    )
    return (
        f"read_parquet($glob, hive_partitioning = true, hive_types = {{'{PARTITION}': VARCHAR}})"
        f" WHERE {PARTITION} BETWEEN $first_month AND $last_month"
        " AND requested_on >= $first_day AND requested_on < $end_day"
    )


def _store_empty() -> bool:
    return not months_stored(REQUESTS)


def volume_over_time(
    *,
    dimension: Dimension,
    period: Period,
    start: date,
    end: date,
    selection: Selection | None = None,
) -> list[VolumePoint]:
    """Requests received per period (of those starting from `start` to before `end`) and key of
    `dimension`, each beside the same period a year before (the period holding the same day a
    year earlier). Periods and keys without requests are left out."""
    selection = selection or Selection()
    _layer_check(selection, needed=dimension == Dimension.DISTRICT)
    if end <= start or _store_empty():
        return []
    params: dict[str, Any] = {"start": start, "end": end}
    conditions = _conditions(selection, params)
    # The year before's first period may start up to six days before the same day a year back.
    source = _requests_from(year_before(start) - timedelta(days=6), end, params)
    where = "".join(f" AND {condition}" for condition in conditions)
    sql = f"""
        WITH counted AS (
            SELECT date_trunc('{period.value}', requested_on)::DATE AS period,
                   {DIMENSION_COLUMNS[dimension]} AS key,
                   count(*) AS requests,
                   count(*) FILTER (WHERE proactive) AS proactive
            FROM {source}{where}
            GROUP BY ALL
        )
        SELECT now.period, now.key, now.requests, now.proactive,
               coalesce(before.requests, 0), coalesce(before.proactive, 0)
        FROM counted AS now
        LEFT JOIN counted AS before
          ON before.period = date_trunc('{period.value}', now.period - INTERVAL 1 YEAR)::DATE
         AND before.key IS NOT DISTINCT FROM now.key
        WHERE now.period >= $start AND now.period < $end
        ORDER BY now.period, now.key NULLS FIRST
    """
    return [VolumePoint(*row) for row in _run(sql, params)]


def sla_compliance(
    *,
    first_month: str,
    last_month: str | None = None,
    selection: Selection | None = None,
    as_of: datetime | None = None,
) -> list[ComplianceRow]:
    """SLA compliance of the requests received in each month from `first_month` to
    `last_month` (both `YYYY-MM`, inclusive), by agency, service type and district (the areas of
    `selection.layer`; all districts together when it names none). On time: closed by the due
    time. The backlog is what is still open, aged at `as_of` (now by default)."""
    selection = selection or Selection()
    _layer_check(selection, needed=False)
    first, _ = month_bounds(first_month)
    _, end = month_bounds(last_month or first_month)
    if end <= first or _store_empty():
        return []
    params: dict[str, Any] = {"as_of": as_of or clock.now()}
    conditions = _conditions(selection, params)
    source = _requests_from(first, end, params)
    where = "".join(f" AND {condition}" for condition in conditions)
    area = "areas[$layer]" if selection.layer else "NULL::VARCHAR"
    sql = f"""
        SELECT {PARTITION}, agency_code, service_code, any_value(service_name), {area} AS area,
               count(*),
               count(*) FILTER (WHERE proactive),
               count(closed_at),
               count(on_time),
               count(*) FILTER (WHERE on_time),
               (count(*) FILTER (WHERE on_time))::DOUBLE / nullif(count(on_time), 0),
               quantile_cont(hours_to_close, 0.5),
               quantile_cont(hours_to_close, 0.9),
               count(*) FILTER (WHERE status <> 'closed'),
               quantile_cont(age_days, 0.5) FILTER (WHERE status <> 'closed'),
               max(age_days) FILTER (WHERE status <> 'closed'),
               count(*) FILTER (WHERE NOT on_time),
               histogram(coalesce(late_close_reason, '')) FILTER (WHERE NOT on_time)
        FROM (
            SELECT *,
                   (epoch(closed_at) - epoch(requested_at)) / 3600 AS hours_to_close,
                   (epoch($as_of::TIMESTAMPTZ) - epoch(requested_at)) / 86400 AS age_days
            FROM {source}{where}
        )
        GROUP BY {PARTITION}, agency_code, service_code, area
        ORDER BY {PARTITION}, agency_code, service_code, area NULLS FIRST
    """
    return [ComplianceRow._make((*row[:-1], dict(row[-1] or {}))) for row in _run(sql, params)]


def tracking_numbers(
    *,
    start: date,
    end: date,
    selection: Selection | None = None,
    subset: Subset = Subset.RECEIVED,
    late_reason: str | None = None,
    limit: int = 500,
) -> list[str]:
    """The tracking numbers behind a figure: the requests of `selection` received from `start`
    to before `end` (a month's: `month_bounds`) in `subset`, oldest first, at most `limit`.
    `late_reason` keeps the late closes given that reason ("" for none)."""
    selection = selection or Selection()
    _layer_check(selection, needed=False)
    if end <= start or _store_empty():
        return []
    params: dict[str, Any] = {"limit": limit}
    conditions = [*_conditions(selection, params), SUBSET_CONDITIONS[subset]]
    if late_reason is not None:
        conditions.append("NOT on_time AND coalesce(late_close_reason, '') = $late_reason")
        params["late_reason"] = late_reason
    source = _requests_from(start, end, params)
    where = "".join(f" AND {condition}" for condition in conditions)
    sql = f"""
        SELECT tracking_number FROM {source}{where}
        ORDER BY requested_at, id LIMIT $limit
    """
    return [row[0] for row in _run(sql, params)]


def hot_spots(
    *,
    place: Place,
    start: date,
    end: date,
    selection: Selection | None = None,
    limit: int | None = None,
) -> list[HotSpot]:
    """Requests received from `start` to before `end` per H3 cell or per district (of
    `selection.layer`), most first: each place's count, its requests a day and its share of the
    located requests. Requests without a place are left out."""
    selection = selection or Selection()
    _layer_check(selection, needed=place == Place.DISTRICT)
    if end <= start or _store_empty():
        return []
    params: dict[str, Any] = {"days": (end - start).days}
    key = "h3_cell" if place == Place.CELL else "areas[$layer]"
    conditions = [*_conditions(selection, params), f"{key} IS NOT NULL"]
    source = _requests_from(start, end, params)
    where = "".join(f" AND {condition}" for condition in conditions)
    limited = ""
    if limit is not None:
        limited = " LIMIT $limit"
        params["limit"] = limit
    sql = f"""
        SELECT {key} AS key, count(*) AS requests, count(*) FILTER (WHERE proactive),
               count(*) / $days, count(*) / sum(count(*)) OVER ()
        FROM {source}{where}
        GROUP BY key
        ORDER BY requests DESC, key{limited}
    """
    return [HotSpot(*row) for row in _run(sql, params)]


_SUMMARY_NAMES = {
    Dimension.AGENCY: "any_value(agency_name)",
    Dimension.SERVICE_TYPE: "any_value(service_name)",
}


def summary(
    *,
    dimension: Dimension,
    start: date,
    end: date,
    selection: Selection | None = None,
) -> list[Summary]:
    """Per key of `dimension`, the requests received from `start` to before `end`: how many,
    closed, closed with a due time, on time and the on-time share, and the median hours from
    receipt to close; the keys in order."""
    selection = selection or Selection()
    _layer_check(selection, needed=dimension == Dimension.DISTRICT)
    if end <= start or _store_empty():
        return []
    params: dict[str, Any] = {}
    conditions = _conditions(selection, params)
    source = _requests_from(start, end, params)
    where = "".join(f" AND {condition}" for condition in conditions)
    name = _SUMMARY_NAMES.get(dimension, "NULL::VARCHAR")
    sql = f"""
        SELECT {DIMENSION_COLUMNS[dimension]} AS key, {name}, count(*), count(closed_at),
               count(on_time), count(*) FILTER (WHERE on_time),
               (count(*) FILTER (WHERE on_time))::DOUBLE / nullif(count(on_time), 0),
               quantile_cont((epoch(closed_at) - epoch(requested_at)) / 3600, 0.5)
        FROM {source}{where}
        GROUP BY key
        ORDER BY key NULLS FIRST
    """
    return [Summary(*row) for row in _run(sql, params)]


def resolution_report(
    *, start: date, end: date, selection: Selection | None = None
) -> list[ReportRow]:
    """The monthly report's rows: per service group, service type, agency and district (of
    `selection.layer`; the whole city when it names none), the requests received from `start` to
    before `end`: how many, still open, closed, closed by resolution, and the average days from
    receipt to close of those closed."""
    selection = selection or Selection()
    _layer_check(selection, needed=False)
    if end <= start or _store_empty():
        return []
    params: dict[str, Any] = {}
    conditions = _conditions(selection, params)
    source = _requests_from(start, end, params)
    where = "".join(f" AND {condition}" for condition in conditions)
    area = "areas[$layer]" if selection.layer else "NULL::VARCHAR"
    sql = f"""
        SELECT service_group, service_code, any_value(service_name), agency_code,
               any_value(agency_name), {area} AS area,
               count(*),
               count(*) FILTER (WHERE status <> 'closed'),
               count(*) FILTER (WHERE status = 'closed'),
               histogram(resolution) FILTER (WHERE status = 'closed' AND resolution IS NOT NULL),
               avg((epoch(closed_at) - epoch(requested_at)) / 86400)
                   FILTER (WHERE status = 'closed')
        FROM {source}{where}
        GROUP BY service_group, service_code, agency_code, area
        ORDER BY service_group NULLS LAST, service_code, agency_code, area NULLS FIRST
    """
    return [ReportRow._make((*row[:9], dict(row[9] or {}), row[10])) for row in _run(sql, params)]
