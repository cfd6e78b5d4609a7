"""The contact center's figures read from the store's contacts with DuckDB: the same
definitions as the database's (`contacts.selectors.contact_center_figures`, which states them),
for the figures that need no caller. First-contact resolution (which needs to know the same
caller came back) and the answers read most stay with the database: the store holds no caller
and no article."""

import re
from datetime import datetime, timedelta
from typing import Any

import duckdb

from cityline.analytics.schema import PARTITION, month_of
from cityline.analytics.store import CONTACTS, months_stored, table_glob
from cityline.contacts.models import ContactChannel
from cityline.contacts.selectors import (
    DEFAULT_TARGET,
    ContactVolumeFigures,
    contact_volume_figures,
)
from cityline.core import clock


def _mean(microseconds: float | None) -> timedelta | None:
    return None if microseconds is None else timedelta(microseconds=round(microseconds))


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    # DuckDB refuses a named parameter the statement does not use.
    return {name: value for name, value in params.items() if re.search(rf"\${name}\b", sql)}


def _contacts_from(start: datetime, end: datetime, queue: str, params: dict[str, Any]) -> str:
    """The contacts offered from `start` to before `end`, reading only their months."""
    params.update(
        glob=table_glob(CONTACTS),
        start=start,
        end=end,
        first_month=month_of(clock.to_city_time(start).date()),
        last_month=month_of(clock.to_city_time(end - timedelta(microseconds=1)).date()),
    )
    source = (
        f"read_parquet($glob, hive_partitioning = true, hive_types = {{'{PARTITION}': VARCHAR}})"
        f" WHERE {PARTITION} BETWEEN $first_month AND $last_month"
        " AND queued_at >= $start AND queued_at < $end"
    )
    if queue:
        params["queue"] = queue
        source += " AND queue = $queue"
    return source


def contact_center_figures_from_store(
    *, start: datetime, end: datetime, queue: str = "", target: timedelta = DEFAULT_TARGET
) -> ContactVolumeFigures:
    if not months_stored(CONTACTS):
        return contact_volume_figures(
            contacts=0,
            calls_offered=0,
            calls_answered=0,
            calls_abandoned=0,
            answered_within_target=0,
            average_speed_of_answer=None,
            average_handle_time=None,
            by_kind={},
            by_channel={},
        )
    params: dict[str, Any] = {
        "phone": ContactChannel.PHONE.value,
        "target_us": int(target.total_seconds() * 1_000_000),
    }
    source = _contacts_from(start, end, queue, params)
    answered = "channel = $phone AND answered_at IS NOT NULL"
    wait = "epoch_us(answered_at) - epoch_us(queued_at)"
    totals_sql = (
        "SELECT count(*), count(*) FILTER (WHERE channel = $phone),"
        f" count(*) FILTER (WHERE {answered}),"
        " count(*) FILTER (WHERE channel = $phone AND answered_at IS NULL"
        " AND ended_at IS NOT NULL),"
        f" count(*) FILTER (WHERE {answered} AND {wait} <= $target_us),"
        f" avg({wait}) FILTER (WHERE {answered}),"
        " avg(epoch_us(ended_at) - epoch_us(answered_at))"
        f" FILTER (WHERE {answered} AND ended_at IS NOT NULL)"
        f" FROM {source}"
    )
    by_sql = (
        f"SELECT 'kind', kind, count(*) FROM {source} AND kind IS NOT NULL GROUP BY kind"
        f" UNION ALL SELECT 'channel', channel, count(*) FROM {source} GROUP BY channel"
    )
    with duckdb.connect() as connection:
        total, offered, answered_calls, abandoned, within, wait_us, handle_us = (
            connection.execute(totals_sql, _used(totals_sql, params)).fetchone() or (0,) * 7
        )
        counts = connection.execute(by_sql, _used(by_sql, params)).fetchall()
    return contact_volume_figures(
        contacts=total,
        calls_offered=offered,
        calls_answered=answered_calls,
        calls_abandoned=abandoned,
        answered_within_target=within,
        average_speed_of_answer=_mean(wait_us),
        average_handle_time=_mean(handle_us),
        by_kind={key: n for what, key, n in counts if what == "kind"},
        by_channel={key: n for what, key, n in counts if what == "channel"},
    )
