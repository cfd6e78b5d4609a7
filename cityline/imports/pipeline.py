"""From a stream of parsed rows to stored requests: batches, upserts and the tally.

A format's parser yields `(line, HistoricRequest)` for a good row and `(line, Rejected(reason))`
for a bad one; this module does the rest, the same for every format. Outside a transaction of
the caller, storing threads store batches while the caller's thread parses and prepares the next
(docs/adr/0006-bulk-loading.md); inside one (a test, a larger service), every batch is stored in
the caller's thread, in its transaction.
"""

import gc
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, connection, connections

from cityline.imports.reporting import ImportTally
from cityline.servicerequests.services.bulk import (
    HistoricRequest,
    PreparedRequests,
    service_request_bulk_prepare,
    service_request_bulk_store,
    service_request_indexes_deferred,
    service_request_indexes_restore,
    service_request_load_is_large,
    service_request_statistics_refresh,
)

# Rows per transaction. A commit writes out every page its batch changed, and the indexes of random
# keys (tokens, history ids) have a row of the batch on nearly every page once they are large: a
# larger batch writes each such page once for more rows.
DEFAULT_BATCH_SIZE = 20_000
# Batches stored at once, by database. A PostgreSQL connection's work runs in a server process of
# its own, so a second one stores a batch on the other core while the first waits for its
# foreign-key checks; SQLite takes one writer at a time.
STORING_THREADS = {"postgresql": 2}
# How long a thread may hold Python's lock while another waits for it, during an import (the
# interpreter's default is 5 ms). A storing thread lets go of the lock while the database runs
# each statement and needs it back the moment the statement ends; with the parsing thread busy,
# the default made it wait up to 5 ms after each of its few hundred statements a batch, so the
# two threads took turns instead of working at once.
SWITCH_INTERVAL = 0.0002


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

    def counted(stored: _Stored, full: bool) -> None:
        tally.created += stored.created
        tally.updated += stored.updated
        for reason, line in stored.rejected:
            tally.reject(reason, line)
        if full and after_batch is not None:
            after_batch(tally)

    batches = _batches(rows, tally, batch_size)
    with _collector_paused():
        if connection.in_atomic_block:
            for batch in batches:
                counted(_store(batch, _prepared(batch)), len(batch) == batch_size)
        else:
            with _switching_often():
                _stored_alongside(batches, batch_size=batch_size, counted=counted)
    if tally.created or tally.updated:
        service_request_statistics_refresh()
    if after_batch is not None:
        after_batch(tally)
    return tally


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cycle collection while rows are imported.

    An import makes millions of short-lived objects (rows, their values, tuples of parameters),
    freed by their reference counts, and next to no reference cycles (a few hundred objects over
    a hundred thousand rows); every collection would traverse the rows of the batches in hand,
    however seldom it ran. The collector runs as before once the import ends, unless the process
    had turned it off itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _switching_often() -> Iterator[None]:
    """Python's lock handed between threads every SWITCH_INTERVAL while rows are stored
    alongside their parsing; the interpreter's own interval again afterwards."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def _stored_alongside(
    batches: Iterator[list[tuple[int, HistoricRequest]]],
    *,
    batch_size: int,
    counted: Callable[[_Stored, bool], None],
) -> None:
    """Store batches in storing threads while this one parses and prepares the next.

    Batches are counted in the order they were read. Two batches are stored at once only when
    they share no key, so the later one never waits for the earlier one's rows nor finds them
    half-written. A load of at least one full batch into request tables that hold less has
    their deferrable indexes built once it has ended, rather than kept up to date as it goes;
    those a load that died left missing are built first (docs/adr/0006-bulk-loading.md).
    """
    storers = [
        ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"import-store-{n}")
        for n in range(STORING_THREADS.get(connection.vendor, 1))
    ]
    in_flight: deque[tuple[Future[_Stored], bool, set[str]]] = deque()

    def settle_oldest() -> None:
        future, full, _ = in_flight.popleft()
        counted(future.result(), full)

    service_request_indexes_restore()
    with ExitStack() as indexes:
        try:
            for number, batch in enumerate(batches):
                if (
                    number == 0
                    and len(batch) == batch_size
                    and service_request_load_is_large(rows=batch_size)
                ):
                    indexes.enter_context(service_request_indexes_deferred())
                prepared = _prepared(batch)
                keys = {row.source_id for row in prepared.rows}
                while in_flight and (
                    len(in_flight) == len(storers)
                    or any(not keys.isdisjoint(stored) for _, _, stored in in_flight)
                ):
                    settle_oldest()
                future = storers[number % len(storers)].submit(_store, batch, prepared)
                in_flight.append((future, len(batch) == batch_size, keys))
            while in_flight:
                settle_oldest()
        except BaseException:
            # Parsing or a batch stopped while others were being stored: those stored count.
            for future, full, _ in in_flight:
                if future.exception() is None:
                    counted(future.result(), full)
            raise
        finally:
            for storer in storers:
                # Each storing thread's own connection.
                storer.submit(connections.close_all)
                storer.shutdown()


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
