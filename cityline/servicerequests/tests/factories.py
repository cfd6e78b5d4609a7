"""Requests are made through the real intake service, so tests hold what production would."""

from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel, ServiceRequest
from cityline.servicerequests.services.intake import (
    Location,
    RequesterDetails,
    service_request_create,
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
        service_type=service_type or ServiceTypeFactory(),
        description=description,
        location=Location(latitude=latitude, longitude=longitude, address=address),
        channel=channel,
        answers=answers or {},
        requester=requester,
        media_urls=media_urls,
    )
