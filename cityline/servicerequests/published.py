"""Reads of requests for the open-data export, in chunks by id, and the names of the people a
chunk's requests know of (to scrub them from the text).

The rows carry free text and exact locations: only `analytics.opendata` reads them, and it
publishes them only scrubbed and generalised as each service type says.
"""

from collections import defaultdict
from collections.abc import Collection, Iterator

from cityline.servicerequests.changes import REQUEST_CATEGORY_FIELDS
from cityline.servicerequests.models import Requester, ServiceRequest

PUBLISHED_REQUEST_FIELDS = (
    "id",
    "tracking_number",
    "service_type_id",
    *REQUEST_CATEGORY_FIELDS,
    "resolution",
    "requested_at",
    "expected_at",
    "closed_at",
    "updated_at",
    "description",
    "status_notes",
    "address",
    "zipcode",
    "latitude",
    "longitude",
    "demand",
)


def service_requests_for_publication(
    *, excluded_service_type_ids: Collection[int], chunk_size: int
) -> Iterator[list[tuple]]:
    """Every request but those of the excluded types, in chunks in id order (read in key order,
    so a chunk costs the same at the millionth row as at the first)."""
    last = 0
    requests = ServiceRequest.objects.exclude(service_type_id__in=list(excluded_service_type_ids))
    while True:
        chunk = list(
            requests.filter(id__gt=last)
            .order_by("id")
            .values_list(*PUBLISHED_REQUEST_FIELDS)[:chunk_size]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


def requester_names(*, request_ids: Collection[int]) -> dict[int, list[str]]:
    """By request id, the names its requester gave."""
    names: dict[int, list[str]] = defaultdict(list)
    for request_id, first, last in Requester.objects.filter(
        request_id__in=list(request_ids)
    ).values_list("request_id", "first_name", "last_name"):
        names[request_id].extend(name for name in (first, last) if name)
    return names
