"""A store in the test's own folder, and a small city whose requests went through the real intake
and lifecycle services at chosen times: on time, late with and without a reason, reopened, still
open, waiting, proactive, in two districts, over two months and the same weeks a year before."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import AgencyFactory, ServiceGroupFactory, ServiceTypeFactory
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
from cityline.servicerequests.services.lifecycle import (
    service_request_change_status,
    service_request_close,
    service_request_mark_duplicate,
    service_request_reopen,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import LateCloseReason, SlaUnit
from cityline.sla.tests.factories import LateCloseReasonFactory, SlaPolicyFactory

LAYER = "council"
# Inside council district 1 and district 2.
WEST_SIDE = (41.85, -87.65)
EAST_SIDE = (41.85, -87.55)
MONDAY = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 9:00 in Chicago
AS_OF = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.CITYLINE_ANALYTICS_DIR = tmp_path / "analytics"
    return settings.CITYLINE_ANALYTICS_DIR


@dataclass
class City:
    potholes: ServiceType
    lights: ServiceType
    trees: ServiceType
    weather: LateCloseReason
    parts: LateCloseReason
    staffing: LateCloseReason
    requests: dict[str, ServiceRequest]


def file_at(
    when: datetime, service_type: ServiceType, *, side=WEST_SIDE, channel=Channel.WEB
) -> ServiceRequest:
    with time_machine.travel(when, tick=False):
        latitude, longitude = side
        return make_request(
            service_type=service_type, latitude=latitude, longitude=longitude, channel=channel
        )


def close_at(
    when: datetime,
    request: ServiceRequest,
    *,
    reason: LateCloseReason | None = None,
    resolution: str = Resolution.COMPLETED,
) -> ServiceRequest:
    with time_machine.travel(when, tick=False):
        return service_request_close(
            request=request,
            resolution=resolution,
            by=None,
            via=Channel.STAFF,
            late_close_reason=reason,
        )


def mark_proactive(request: ServiceRequest) -> None:
    # The intake service files residents' requests; a request the city files itself differs
    # from one by this flag alone.
    ServiceRequest.objects.filter(pk=request.pk).update(proactive=True)


def build_city() -> City:
    layer = BoundaryLayerFactory.create(slug=LAYER)
    BoundaryAreaFactory.create(
        layer=layer, code="1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    BoundaryAreaFactory.create(
        layer=layer, code="2", geometry=square(west=-87.6, south=41.8, size=0.1)
    )
    streets, transport = AgencyFactory.create(code="STR"), AgencyFactory.create(code="DOT")
    two_days = SlaPolicyFactory.create(amount=2, unit=SlaUnit.CALENDAR_DAYS)
    potholes = ServiceTypeFactory.create(
        code="pothole",
        agency=streets,
        group=ServiceGroupFactory.create(name="Streets"),
        sla_policy=two_days,
    )
    trees = ServiceTypeFactory.create(
        code="tree",
        agency=streets,
        group=ServiceGroupFactory.create(name="Parks"),
        sla_policy=two_days,
    )
    lights = ServiceTypeFactory.create(
        code="light",
        agency=transport,
        group=ServiceGroupFactory.create(name="Streets"),
        sla_policy=two_days,
    )
    weather = LateCloseReasonFactory.create(agency=streets, name="Weather")
    parts = LateCloseReasonFactory.create(agency=streets, name="Waiting for parts")
    staffing = LateCloseReasonFactory.create(agency=transport, name="Staffing")
    day, hour = timedelta(days=1), timedelta(hours=1)
    r: dict[str, ServiceRequest] = {}

    # The same weeks a year before.
    r["last_year"] = file_at(MONDAY - timedelta(weeks=52), potholes, channel=Channel.PHONE)
    close_at(MONDAY - timedelta(weeks=52) + day, r["last_year"])
    r["last_year_east"] = file_at(MONDAY - timedelta(days=365), trees, side=EAST_SIDE)
    # February: closed within ten hours.
    r["february"] = file_at(MONDAY - 3 * day, potholes)
    close_at(MONDAY - 3 * day + 10 * hour, r["february"])
    # March.
    r["on_time"] = file_at(MONDAY, potholes, channel=Channel.PHONE)
    close_at(MONDAY + day, r["on_time"])
    r["late_weather"] = file_at(MONDAY + hour, potholes, side=EAST_SIDE)
    close_at(MONDAY + 3 * day, r["late_weather"], reason=weather)
    r["open_light"] = file_at(MONDAY + 2 * hour, lights, channel=Channel.MOBILE)
    r["inspector"] = file_at(MONDAY + 3 * hour, potholes, channel=Channel.STAFF)
    mark_proactive(r["inspector"])
    with time_machine.travel(MONDAY + 5 * day, tick=False):
        service_request_mark_duplicate(
            request=r["inspector"], parent=r["on_time"], by=None, via=Channel.STAFF
        )
    r["waiting"] = file_at(MONDAY + 4 * hour, trees, side=EAST_SIDE)
    with time_machine.travel(MONDAY + day, tick=False):
        service_request_change_status(
            request=r["waiting"], status=Status.WAITING_ON_THIRD_PARTY, by=None, via=Channel.STAFF
        )
    r["reopened"] = file_at(MONDAY + 2 * day, potholes)
    close_at(MONDAY + 3 * day, r["reopened"])
    with time_machine.travel(MONDAY + 6 * day, tick=False):
        service_request_reopen(request=r["reopened"], by=None, via=Channel.WEB)
    close_at(MONDAY + 7 * day, r["reopened"], reason=parts)
    r["next_week"] = file_at(MONDAY + 8 * day, trees, channel=Channel.PHONE)
    mark_proactive(r["next_week"])
    for name, request in r.items():
        r[name] = ServiceRequest.objects.get(pk=request.pk)
    return City(potholes, lights, trees, weather, parts, staffing, r)


@pytest.fixture
def city(db) -> Iterator[City]:
    yield build_city()
