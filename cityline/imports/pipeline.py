"""From a stream of parsed rows to stored requests: batches, upserts and the tally.

A format's parser yields `(line, HistoricRequest)` for a good row and `(line, Rejected(reason))`
for a bad one; this module does the rest, the same for every format.

Parsing and preparing a batch (its areas, H3 cells and adapted values) is Python, and storing it is
mostly the database's own work (SQLite's C code, which runs without Python's lock, or the
PostgreSQL server), so outside a transaction of the caller the two overlap: a second thread stores
one batch, on its own connection, while the caller's thread parses and prepares the next. Memory
stays bounded by two batches. Inside a transaction of the caller (a test, a
larger service) every batch is stored in the caller's thread, in its transaction.
"""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, connection, connections

from cityline.imports.reporting import ImportTally
from cityline.servicerequests.services.bulk import (
    HistoricRequest,
    PreparedRequests,
    service_request_bulk_prepare,
    service_request_bulk_store,
    service_request_statistics_refresh,
)

DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: str


@dataclass
class _Stored:
    """What storing one batch did, applied to the tally in the caller's thread."""

    created: int = 0
    updated: int = 0
    rejected: list[tuple[str, int]] = field(default_factory=list)


def historic_requests_import(
    *,
    rows: Iterable[tuple[int, HistoricRequest | Rejected]],
    tally: ImportTally,
    batch_size: int = DEFAULT_BATCH_SIZE,
    after_batch: Callable[[ImportTally], None] | None = None,
) -> ImportTally:
    """Store every good row, in batches of `batch_size` (one transaction each), counting all.

    A batch the database refuses for its data (a constraint, a value out of range) is split until
    the refused rows are found; they are rejected and the others stored, so one bad row never
    costs its neighbours. Any other database error (no such table, connection lost) stops the
    import: every batch before it is stored.
    """

    def counted(stored: _Stored, *, full: bool) -> None:
        tally.created += stored.created
        tally.updated += stored.updated
        for reason, line in stored.rejected:
            tally.reject(reason, line)
        if full and after_batch is not None:
            after_batch(tally)

    batches = _batches(rows, tally, batch_size)
    if connection.in_atomic_block:
        for batch in batches:
            counted(_store(batch, _prepared(batch)), full=len(batch) == batch_size)
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-store") as storer:
            pending: tuple[Future[_Stored], bool] | None = None

            def settle() -> None:
                nonlocal pending
                if pending is not None:
                    (future, full), pending = pending, None
                    counted(future.result(), full=full)

            try:
                for batch in batches:
                    prepared = _prepared(batch)
                    settle()
                    pending = (storer.submit(_store, batch, prepared), len(batch) == batch_size)
                settle()
            except BaseException:
                # Parsing stopped while a batch was being stored: it is stored, so it counts.
                if pending is not None and pending[0].exception() is None:
                    settle()
                raise
            finally:
                # The storing thread's own connection.
                storer.submit(connections.close_all)
    if tally.created or tally.updated:
        service_request_statistics_refresh()
    if after_batch is not None:
        after_batch(tally)
    return tally


def _batches(
    rows: Iterable[tuple[int, HistoricRequest | Rejected]], tally: ImportTally, batch_size: int
) -> Iterator[list[tuple[int, HistoricRequest]]]:
    """Good rows in batches of `batch_size` (the last one shorter); rejected rows counted."""
    batch: list[tuple[int, HistoricRequest]] = []
    for line, row in rows:
        tally.read += 1
        if isinstance(row, Rejected):
            tally.reject(row.reason, line)
            continue
        batch.append((line, row))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _prepared(batch: list[tuple[int, HistoricRequest]]) -> PreparedRequests:
    return service_request_bulk_prepare(rows=[row for _, row in batch])


def _store(batch: list[tuple[int, HistoricRequest]], prepared: PreparedRequests) -> _Stored:
    try:
        result = service_request_bulk_store(prepared=prepared)
    except (IntegrityError, DataError) as exc:
        if len(batch) == 1:
            return _Stored(rejected=[(_database_reason(exc), batch[0][0])])
        middle = len(batch) // 2
        first, second = batch[:middle], batch[middle:]
        one, two = _store(first, _prepared(first)), _store(second, _prepared(second))
        return _Stored(
            created=one.created + two.created,
            updated=one.updated + two.updated,
            rejected=one.rejected + two.rejected,
        )
    # A key repeated within the batch counts as an update of its first row.
    return _Stored(created=result.created, updated=len(batch) - result.created)


def _database_reason(exc: Exception) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0][:120]
    return f"refused by the database ({type(exc).__name__}: {first_line})"
