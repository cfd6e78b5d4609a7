from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.core.models import OutboxMessage
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.servicerequests.models import RequestUpdate, Status, UpdateKind
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=CHICAGO), tick=False)
def test_a_new_request_gets_a_tracking_number_due_time_history_and_outbox_message():
    # given
    policy = SlaPolicyFactory(amount=3, unit=SlaUnit.CALENDAR_DAYS)
    service_type = ServiceTypeFactory(sla_policy=policy)
    # when
    request = make_request(service_type=service_type)
    # then
    assert request.tracking_number.startswith("311-")
    assert request.status == Status.NEW
    assert request.agency == service_type.agency
    assert request.expected_at == datetime(2026, 3, 5, 10, 0, tzinfo=CHICAGO)
    assert list(RequestUpdate.objects.filter(request=request).values_list("kind", flat=True)) == [
        UpdateKind.CREATED
    ]
    assert OutboxMessage.objects.filter(topic="request.created").count() == 1


def test_a_request_is_placed_in_every_layer_area_that_contains_it():
    # given
    wards = BoundaryLayerFactory(slug="wards")
    zips = BoundaryLayerFactory(slug="zips", is_zipcode=True)
    inside = BoundaryAreaFactory(layer=wards, code="7", geometry=square(west=-88, south=41, size=1))
    BoundaryAreaFactory(layer=wards, code="8", geometry=square(west=-90, south=41, size=1))
    BoundaryAreaFactory(layer=zips, code="60616", geometry=square(west=-88, south=41, size=1))
    # when
    request = make_request(latitude=41.5, longitude=-87.5)
    # then
    assert set(request.areas.values_list("id", flat=True)) == {
        inside.id,
        zips.areas.get().id,
    }
    assert request.zipcode == "60616"
    assert request.h3_cell


def test_requester_details_are_kept_apart_from_the_request():
    # given
    details = RequesterDetails(first_name="Ada", email="ada@example.org", wants_updates=True)
    # when
    request = make_request(requester=details)
    # then
    assert request.requester.email == "ada@example.org"
    assert "ada@example.org" not in str(request.__dict__)


def test_a_routing_rule_on_an_area_sends_the_request_to_another_agency():
    # given
    parks = AgencyFactory(code="PARKS")
    service_type = ServiceTypeFactory()
    park = BoundaryAreaFactory(geometry=square(west=-88, south=41, size=1))
    service_type.routing_rules.create(area=park, agency=parks, order=1)
    # when
    in_park = make_request(service_type=service_type, latitude=41.5, longitude=-87.5)
    outside = make_request(service_type=service_type, latitude=40.5, longitude=-87.5)
    # then
    assert in_park.agency == parks
    assert outside.agency == service_type.agency
