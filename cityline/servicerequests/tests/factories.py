"""Requests are made through the real intake service, so tests hold what production would."""

from cityline.accounts.models import User
from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
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
