"""Reads of the requests changed since a point, in chunks, for the analytics store.

Only what figures are made of: no requester, no description, no notes. Rows are plain tuples in
the order of the `*_FIELDS` constants, so a chunk of thousands turns into columns at once.
"""

from collections.abc import Collection, Iterator
from datetime import datetime

from cityline.core.chunks import rows_changed_in_chunks
from cityline.servicerequests.models import RequestArea, RequestUpdate, ServiceRequest

# What a request is and where it stands: read alike for the analytics store and the open data.
REQUEST_CATEGORY_FIELDS = (
    "service_type__code",
    "service_type__name",
    "service_type__group__name",
    "agency__code",
    "agency__name",
    "channel",
    "proactive",
    "priority",
    "status",
)

CHANGED_REQUEST_FIELDS = (
    "id",
    "tracking_number",
    *REQUEST_CATEGORY_FIELDS,
    "resolution",
    "requested_at",
    "acknowledge_due_at",
    "expected_at",
    "closed_at",
    "updated_at",
    "late_close_reason__name",
    "h3_cell",
    "demand",
    "source",
)

HISTORY_FIELDS = ("id", "request_id", "kind", "status", "visibility", "occurred_at", "via")


def service_requests_changed(
    *, after_id: int, updated_since: datetime | None, chunk_size: int
) -> Iterator[list[tuple]]:
    """Chunks of requests, by id: those up to `after_id` changed at or after `updated_since`
    (found by the change-time index), then every request with an id above `after_id` (read in
    key order). With `after_id` 0 and no `updated_since`, every request."""
    return rows_changed_in_chunks(
        model=ServiceRequest,
        fields=CHANGED_REQUEST_FIELDS,
        after_id=after_id,
        updated_since=updated_since,
        chunk_size=chunk_size,
    )


def request_history_rows(*, request_ids: Collection[int]) -> list[tuple]:
    """Every history entry of these requests, without its note, author or key."""
    return list(
        RequestUpdate.objects.filter(request_id__in=request_ids)
        .order_by("request_id", "occurred_at", "id")
        .values_list(*HISTORY_FIELDS)
    )


def request_area_codes(*, request_ids: Collection[int]) -> list[tuple[int, str, str]]:
    """(request id, boundary layer slug, area code) for every area these requests fall in."""
    return list(
        RequestArea.objects.filter(request_id__in=request_ids)
        .order_by("request_id", "area__layer__slug")
        .values_list("request_id", "area__layer__slug", "area__code")
    )
