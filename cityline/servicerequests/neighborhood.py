"""Reads of the public requests of a place: a district of any boundary layer, the cells around an
address, or a map's viewport. Public columns only, as Open311 and the tracking page show them:
never the requester, the description (written freely, it may name people), notes or staff; the
requests of types the public never sees are left out as if they did not exist.

How each read stays fast with millions of requests stored (figures in docs/portal.md):

- A district's page walks the requests newest first (`sr_requested_idx`, or
  `sr_type_requested_idx` for one type) and keeps those the district holds, probed per row
  through `request_area_unique`; a page of 25 stops after a few hundred probes in a district
  that holds a ninth of the city. Around an address: the H3 cells of the neighbourhood through
  `sr_cell_requested_idx`.
- A map's viewport over a period is one range of `sr_map_idx` (requested time first, then every
  column the map reads and filters on), so the database counts requests per H3 cell from the
  index alone; the cells are merged into coarser ones for the zoom level in Python. Close up, the
  newest points of the viewport are read walking `sr_requested_idx` back from the period's end.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Avg, Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Lower

from cityline.catalog.selectors import catalog_text, service_type_ids_with_hidden_requests
from cityline.servicerequests.models import RequestArea, ServiceRequest, Status

OPEN = "open"
CLOSED = "closed"


@dataclass(frozen=True)
class RequestFilters:
    """What a resident narrowed the requests to. `service_type_ids` None: every type."""

    service_type_ids: Collection[int] | None = None
    service_group_id: int | None = None
    state: str = ""  # OPEN, CLOSED or "" for both
    requested_from: datetime | None = None
    requested_to: datetime | None = None


@dataclass(frozen=True)
class Viewport:
    south: float
    west: float
    north: float
    east: float


class PlaceRequest(NamedTuple):
    tracking_number: str
    service_name: str
    status: str
    requested_at: datetime
    address: str


class CellCount(NamedTuple):
    """The requests of one H3 cell: how many, and where they are on average."""

    cell: str
    requests: int
    latitude: float
    longitude: float


class MapPoint(NamedTuple):
    tracking_number: str
    service_name: str
    status: str
    requested_at: datetime
    latitude: float
    longitude: float


def _public(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    # Ids, not a subquery: see catalog.selectors.service_type_ids_with_hidden_requests.
    return requests.exclude(service_type_id__in=service_type_ids_with_hidden_requests())


def _filtered(
    requests: QuerySet[ServiceRequest], filters: RequestFilters
) -> QuerySet[ServiceRequest]:
    if filters.service_type_ids is not None:
        requests = requests.filter(service_type_id__in=list(filters.service_type_ids))
    if filters.service_group_id is not None:
        requests = requests.filter(service_type__group_id=filters.service_group_id)
    if filters.state == OPEN:
        requests = requests.exclude(status=Status.CLOSED)
    elif filters.state == CLOSED:
        requests = requests.filter(status=Status.CLOSED)
    if filters.requested_from is not None:
        requests = requests.filter(requested_at__gte=filters.requested_from)
    if filters.requested_to is not None:
        requests = requests.filter(requested_at__lt=filters.requested_to)
    return requests


def _page(requests: QuerySet[ServiceRequest], offset: int, limit: int) -> list[PlaceRequest]:
    rows = requests.order_by("-requested_at", "-id").values_list(
        "tracking_number", catalog_text("service_type__name"), "status", "requested_at", "address"
    )[offset : offset + limit]
    return [PlaceRequest(*row) for row in rows]


def _in_place(
    filters: RequestFilters, area_id: int | None, cells: Sequence[str] | None
) -> QuerySet[ServiceRequest]:
    requests = ServiceRequest.objects.all()
    if area_id is not None:
        requests = requests.filter(
            Exists(RequestArea.objects.filter(request_id=OuterRef("pk"), area_id=area_id))
        )
    if cells is not None:
        requests = requests.filter(h3_cell__in=list(cells))
    return _filtered(_public(requests), filters)


def service_request_page_in_place(
    *,
    filters: RequestFilters,
    offset: int,
    limit: int,
    area_id: int | None = None,
    cells: Sequence[str] | None = None,
) -> list[PlaceRequest]:
    """The public requests inside one boundary area, or located in these H3 cells (of the stored
    resolution), or anywhere in the city given neither; newest first, `limit` from `offset`."""
    return _page(_in_place(filters, area_id, cells), offset, limit)


def service_request_count_in_place(*, filters: RequestFilters, area_id: int | None = None) -> int:
    """How many public requests `service_request_page_in_place` would list in all."""
    return _in_place(filters, area_id, None).count()


class RequestPlaceFacts(NamedTuple):
    """What decides who hears of a new request: public facts only."""

    tracking_number: str
    service_name: str
    service_type_id: int
    service_group_id: int | None
    area_ids: list[int]


def service_request_place_facts(*, request_id: int) -> RequestPlaceFacts | None:
    """The request's type, group and areas; None for a request the public never sees."""
    row = (
        _public(ServiceRequest.objects.filter(pk=request_id))
        .order_by()
        .values_list(
            "tracking_number", "service_type__name", "service_type_id", "service_type__group_id"
        )
        .first()
    )
    if row is None:
        return None
    area_ids = list(
        RequestArea.objects.filter(request_id=request_id).values_list("area_id", flat=True)
    )
    return RequestPlaceFacts(*row, area_ids=area_ids)


def _in_view(viewport: Viewport, filters: RequestFilters) -> QuerySet[ServiceRequest]:
    requests = ServiceRequest.objects.filter(
        latitude__gte=viewport.south,
        latitude__lte=viewport.north,
        longitude__gte=viewport.west,
        longitude__lte=viewport.east,
    ).exclude(h3_cell="")
    return _filtered(_public(requests), filters)


def service_request_cells_in_view(
    *, viewport: Viewport, filters: RequestFilters
) -> list[CellCount]:
    """How many public requests each H3 cell of the viewport holds, with their mean place."""
    # Grouped by an expression of the cell rather than the column: given the column, SQLite walks
    # all of sr_cell_requested_idx for its order instead of reading the period's range of
    # sr_map_idx (the cells are lower-case already).
    rows = (
        _in_view(viewport, filters)
        .order_by()
        .annotate(cell=Lower("h3_cell"))
        .values("cell")
        .annotate(n=Count("id"), lat=Avg("latitude"), lon=Avg("longitude"))
        .values_list("cell", "n", "lat", "lon")
    )
    return [CellCount(*row) for row in rows]


def service_request_points_in_view(
    *, viewport: Viewport, filters: RequestFilters, limit: int
) -> list[MapPoint]:
    """The newest `limit` public requests of the viewport, each where it is."""
    rows = (
        _in_view(viewport, filters)
        .order_by("-requested_at", "-id")
        .values_list(
            "tracking_number",
            catalog_text("service_type__name"),
            "status",
            "requested_at",
            "latitude",
            "longitude",
        )[:limit]
    )
    return [
        MapPoint(number, service, status, requested_at, latitude, longitude)
        for number, service, status, requested_at, latitude, longitude in rows
        if latitude is not None and longitude is not None
    ]
