"""Reads of the requests changed since a point, in chunks, for the analytics store.

Only what figures are made of: no requester, no description, no notes. Rows are plain tuples in
the order of the `*_FIELDS` constants, so a chunk of thousands turns into columns at once.
"""

from collections.abc import Collection, Iterator
from datetime import datetime

from django.db.models import Count

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


def request_counts_by_type_and_area(
    *, start: datetime, end: datetime, layer_slug: str
) -> list[tuple[int, str, int, str, int]]:
    """(service type id, its code, area id, its code, requests) for the requests residents filed
    from `start` to before `end`, per service type and area of the layer; proactive requests (the
    city's own) are left out."""
    return list(
        RequestArea.objects.filter(
            area__layer__slug=layer_slug,
            request__requested_at__gte=start,
            request__requested_at__lt=end,
            request__proactive=False,
        )
        .values_list(
            "request__service_type_id", "request__service_type__code", "area_id", "area__code"
        )
        .annotate(requests=Count("request_id"))
        .order_by()
    )
