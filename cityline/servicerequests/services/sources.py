"""The requests of an import source as a whole: which it no longer has, and the tracking numbers
of those it brings. Loads themselves go through `services.bulk`."""

from collections.abc import Callable, Collection, Sequence

from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.selectors import (
    service_request_tracking_numbers_of_source,
    tracking_numbers_taken,
)
from cityline.servicerequests.services.bulk import HistoricRequest

DELETE_BATCH = 500
LOOKUP_BATCH = 2000


def service_request_prune_source(*, source: str, keep: Collection[str]) -> int:
    """Delete the requests loaded from `source` whose source id is not in `keep`, with their
    history, answers and attachments; return how many. Runs in the caller's transaction."""
    stale = [
        pk
        for pk, source_id in ServiceRequest.objects.filter(source=source).values_list(
            "pk", "source_id"
        )
        if source_id not in keep
    ]
    for start in range(0, len(stale), DELETE_BATCH):
        ServiceRequest.objects.filter(pk__in=stale[start : start + DELETE_BATCH]).delete()
    return len(stale)


def historic_tracking_numbers_assign(
    *, rows: Sequence[HistoricRequest], number_for: Callable[[str, int], str]
) -> None:
    """Give rows of one source the tracking numbers they are loaded under: a request already
    loaded keeps its own; a new one keeps the number it brings unless another request holds it,
    and then takes `number_for(source_id, attempt)` for attempt 1, 2, … until one is free."""
    if not rows:
        return
    source = rows[0].source
    if any(row.source != source for row in rows):
        raise ValueError("the rows are of one source")
    held = service_request_tracking_numbers_of_source(source=source)
    taken = set(held.values())
    fresh = []
    for row in rows:
        if row.source_id in held:
            row.tracking_number = held[row.source_id]
        else:
            fresh.append(row)
    for start in range(0, len(fresh), LOOKUP_BATCH):
        batch = fresh[start : start + LOOKUP_BATCH]
        elsewhere = tracking_numbers_taken(numbers=[row.tracking_number for row in batch])
        for row in batch:
            attempt = 0
            while row.tracking_number in taken or row.tracking_number in elsewhere:
                attempt += 1
                row.tracking_number = number_for(row.source_id, attempt)
                elsewhere |= tracking_numbers_taken(numbers=[row.tracking_number])
            taken.add(row.tracking_number)
