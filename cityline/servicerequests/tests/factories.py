"""Requests are made through the real intake service, so tests hold what production would."""

from datetime import datetime

from cityline.accounts.models import User
from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core import clock
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
from cityline.servicerequests.services.bulk import HistoricRequest, service_request_bulk_upsert
from cityline.servicerequests.services.intake import (
    Location,
    RequesterDetails,
    service_request_create,
)
from cityline.servicerequests.services.lifecycle import (
    service_request_change_status,
    service_request_close,
)


def make_request(
    *,
    service_type: ServiceType | None = None,
    latitude: float | None = 41.85,
    longitude: float | None = -87.65,
    address: str = "",
    description: str = "Something needs the city's attention.",
    channel: str = Channel.WEB,
    answers: dict | None = None,
    requester: RequesterDetails | None = None,
    media_urls: tuple[str, ...] = (),
) -> ServiceRequest:
    return service_request_create(
        service_type=service_type or ServiceTypeFactory.create(),
        description=description,
        location=Location(latitude=latitude, longitude=longitude, address=address),
        channel=channel,
        answers=answers or {},
        requester=requester,
        media_urls=media_urls,
    )


def make_request_in_status(
    status: str, *, by: User | None = None, service_type: ServiceType | None = None
) -> ServiceRequest:
    """A request brought to `status` by staff through the lifecycle services."""
    request = make_request(service_type=service_type)
    if status == Status.CLOSED:
        return service_request_close(
            request=request, resolution=Resolution.COMPLETED, by=by, via=Channel.STAFF
        )
    if status != Status.NEW:
        request = service_request_change_status(
            request=request, status=status, by=by, via=Channel.STAFF
        )
    return request


def historic_request(
    *,
    service_type: ServiceType,
    source_id: str,
    source: str = "test",
    tracking_number: str = "",
    requested_at: datetime | None = None,
) -> HistoricRequest:
    """A row of an import source, as importers and the demo city build them."""
    at = requested_at or clock.now()
    return HistoricRequest(
        source=source,
        source_id=source_id,
        tracking_number=tracking_number or f"T-{source}-{source_id}",
        service_type_id=service_type.pk,
        agency_id=service_type.agency_id,
        requested_at=at,
        updated_at=at,
    )


def load_historic(rows: list[HistoricRequest]) -> list[ServiceRequest]:
    """Store rows through the bulk load, as an import would, and return their requests."""
    service_request_bulk_upsert(rows=rows)
    return [ServiceRequest.objects.get(source=r.source, source_id=r.source_id) for r in rows]
