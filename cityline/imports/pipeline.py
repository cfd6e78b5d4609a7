"""From a stream of parsed rows to stored requests: batches, upserts and the tally.

A format's parser yields `(line, HistoricRequest)` for a good row and `(line, Rejected(reason))`
for a bad one; this module does the rest, the same for every format.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import DataError, IntegrityError

from cityline.imports.reporting import ImportTally
from cityline.servicerequests.services.bulk import HistoricRequest, service_request_bulk_upsert

DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: str


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
    batch: list[tuple[int, HistoricRequest]] = []
    for line, row in rows:
        tally.read += 1
        if isinstance(row, Rejected):
            tally.reject(row.reason, line)
            continue
        batch.append((line, row))
        if len(batch) >= batch_size:
            _store(batch, tally)
            batch = []
            if after_batch is not None:
                after_batch(tally)
    if batch:
        _store(batch, tally)
    if after_batch is not None:
        after_batch(tally)
    return tally


def _store(batch: list[tuple[int, HistoricRequest]], tally: ImportTally) -> None:
    try:
        result = service_request_bulk_upsert(rows=[row for _, row in batch])
    except (IntegrityError, DataError) as exc:
        if len(batch) == 1:
            tally.reject(_database_reason(exc), batch[0][0])
            return
        middle = len(batch) // 2
        _store(batch[:middle], tally)
        _store(batch[middle:], tally)
        return
    tally.created += result.created
    # A key repeated within the batch counts as an update of its first row.
    tally.updated += len(batch) - result.created


def _database_reason(exc: Exception) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0][:120]
    return f"refused by the database ({type(exc).__name__}: {first_line})"
