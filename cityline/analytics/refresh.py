"""Writing one refresh's changed rows into the store, the same way for every table family.

The changed rows are read in chunks and parked on disk by month (`Staging`); then every month
partition they sit in now or sat in before is rewritten: the stored rows of the changed ids
dropped, their new rows added. A full refresh rewrites every stored month from the new rows alone.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings

from cityline.analytics.store import (
    SCHEMAS,
    Staging,
    months_holding,
    months_stored,
    partition_read_without,
    partition_replace,
)


@dataclass(frozen=True)
class Written:
    rows: int
    last_id: int
    months: tuple[str, ...]


def changed_since(changed_through: datetime | None, *, full: bool) -> datetime | None:
    """Where to read changes from: the last refresh's start less the overlap for the
    transactions still open then; None (by id alone) for a full refresh or the first one."""
    if full or changed_through is None:
        return None
    return changed_through - timedelta(seconds=settings.CITYLINE_ANALYTICS_OVERLAP_SECONDS)


def changes_write(
    *,
    root: Path,
    staging: Staging,
    tables: tuple[str, ...],
    chunks: Iterable[list[tuple]],
    stage: Callable[[list[tuple], list[int]], None],
    full: bool,
    stored_last_id: int,
    renew: Callable[[], None],
) -> Written:
    """Stage each chunk of changed rows (`stage` gets the rows and their ids; the id is a row's
    first value), then rewrite the months of `tables` they touch. The first of `tables` keys the
    others: its months are those the changed ids sat in before. `renew` keeps the lease."""
    key_table = tables[0]
    last_id = 0 if full else stored_last_id
    changed: list[pa.Array] = []
    try:
        for rows in chunks:
            ids = [row[0] for row in rows]
            stage(rows, ids)
            changed.append(pa.array(ids, type=pa.int64()))
            last_id = max(last_id, ids[-1])
            renew()
        changed_ids = pa.concat_arrays(changed) if changed else pa.array([], type=pa.int64())
        months = staging.months(key_table)
        if full:
            for table in tables:
                months |= months_stored(table, root)
        else:
            # A changed row may have sat in another month before (its time was corrected by a
            # re-import, or the phone system's time replaced the desk's): that month loses it.
            already_stored = changed_ids.filter(
                pc.less_equal(changed_ids, pa.scalar(stored_last_id, pa.int64()))
            )
            months |= months_holding(already_stored, root, table=key_table)
        for month in sorted(months):
            for table in tables:
                kept = (
                    SCHEMAS[table].empty_table()
                    if full
                    else partition_read_without(table, month, changed_ids, root)
                )
                partition_replace(
                    table, month, pa.concat_tables([kept, staging.read(table, month)]), root
                )
            renew()
    finally:
        staging.clear()
    return Written(rows=len(changed_ids), last_id=last_id, months=tuple(sorted(months)))
