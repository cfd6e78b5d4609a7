import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError

from cityline.catalog.models import AttributeDatatype
from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceAttributeFactory,
    ServiceTypeFactory,
    list_question,
)
from cityline.core.errors import DomainError
from cityline.core.models import OutboxMessage
from cityline.geo.tests.factories import (
    AddressPointFactory,
    BoundaryAreaFactory,
    BoundaryLayerFactory,
    square,
)
from cityline.servicerequests.models import (
    Channel,
    Requester,
    RequestUpdate,
    ServiceRequest,
    Status,
    UpdateKind,
)
from cityline.servicerequests.services import intake
from cityline.servicerequests.services.intake import Location, RequesterDetails
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


def test_the_answers_to_intake_questions_are_stored_with_the_request():
    # given
    service_type = ServiceTypeFactory()
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"])
    list_question(service_type=service_type, code="hazards", keys=["glass", "water"], multi=True)
    ServiceAttributeFactory(
        service_type=service_type, code="size_cm", datatype=AttributeDatatype.NUMBER
    )
    answers = {"depth": "deep", "hazards": ["glass", "water"], "size_cm": "40"}
    # when
    request = make_request(service_type=service_type, answers=answers)
    # then
    stored = dict(request.answers.values_list("attribute_code", "value"))
    assert stored == answers


def test_answers_are_stored_as_the_intake_rules_normalise_them():
    # given
    service_type = ServiceTypeFactory()
    list_question(service_type=service_type, code="hazards", keys=["glass", "water"], multi=True)
    ServiceAttributeFactory(service_type=service_type, code="note")
    # when
    request = make_request(
        service_type=service_type,
        answers={"hazards": ["water", "water"], "note": "  near the gate  ", "unasked": "x"},
    )
    # then
    stored = dict(request.answers.values_list("attribute_code", "value"))
    assert stored == {"hazards": ["water"], "note": "near the gate"}


def _create(**changes):
    """Intake with good input, but for `changes`."""
    arguments = {
        "service_type": ServiceTypeFactory(),
        "description": "A pothole.",
        "location": Location(latitude=41.85, longitude=-87.65),
        "channel": Channel.PHONE,
    } | changes
    return intake.service_request_create(**arguments)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"priority": "whenever"}, "priority"),
        ({"location": Location(latitude=41.85)}, "longitude"),
        ({"location": Location(longitude=-87.65)}, "latitude"),
        ({"location": Location(latitude=91.0, longitude=-87.65)}, "latitude"),
        ({"location": Location(latitude=41.85, longitude=float("nan"))}, "longitude"),
        ({"location": Location(address="x" * 256)}, "address"),
        ({"location": Location(address_id="x" * 65)}, "address_id"),
        ({"requester": RequesterDetails(email="not an address")}, "email"),
        ({"requester": RequesterDetails(first_name="A" * 101)}, "first_name"),
        ({"requester": RequesterDetails(phone="5" * 41)}, "phone"),
        ({"media_urls": ["ftp://example.org/a.jpg"]}, "media_url"),
        ({"media_urls": ["https://example.org/" + "a" * 1000]}, "media_url"),
    ],
)
def test_intake_refuses_input_it_could_not_store_naming_the_field(changes, field):
    # given
    count = ServiceRequest.objects.count()
    # when
    with pytest.raises(DomainError) as refused:
        _create(**changes)
    # then
    assert refused.value.field == field
    assert ServiceRequest.objects.count() == count
    assert not OutboxMessage.objects.filter(topic="request.created").exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "is required"),
        ({"depth": "bottomless"}, "'bottomless' is not one of ['deep', 'shallow']"),
        ({"depth": ["deep", "shallow"]}, "takes a single value"),
    ],
)
def test_intake_checks_the_answers_itself_naming_the_question(answers, message):
    # given
    service_type = ServiceTypeFactory()
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"], required=True)
    count = ServiceRequest.objects.count()
    # when
    with pytest.raises(DomainError) as refused:
        _create(service_type=service_type, answers=answers)
    # then
    assert (refused.value.field, refused.value.message) == ("attribute[depth]", message)
    assert ServiceRequest.objects.count() == count


def test_attachments_are_kept_in_the_order_given():
    # given
    photos = ("https://example.org/a.jpg", "https://example.org/b.jpg")
    # when
    request = make_request(media_urls=photos)
    # then
    assert tuple(request.attachments.values_list("media_url", flat=True)) == photos


@pytest.mark.parametrize(
    "details",
    [None, RequesterDetails(), RequesterDetails(wants_updates=True)],
    ids=["none", "empty", "only-a-wish-for-updates"],
)
def test_no_requester_is_stored_when_nothing_identifies_one(details):
    # when
    request = make_request(requester=details)
    # then
    assert not Requester.objects.filter(request=request).exists()


def test_an_address_alone_is_placed_at_its_address_point():
    # given
    AddressPointFactory(
        address="121 N LaSalle St", latitude=41.8837, longitude=-87.6324, zipcode="60602"
    )
    wards = BoundaryLayerFactory(slug="wards")
    ward = BoundaryAreaFactory(
        layer=wards, code="42", geometry=square(west=-87.7, south=41.85, size=0.1)
    )
    # when
    request = make_request(latitude=None, longitude=None, address="121 North LaSalle Street")
    # then
    assert (request.latitude, request.longitude) == (41.8837, -87.6324)
    assert request.address == "121 North LaSalle Street"
    assert request.zipcode == "60602"
    assert request.h3_cell
    assert list(request.areas.all()) == [ward]


def test_an_address_the_city_does_not_know_is_kept_without_a_position():
    # when
    request = make_request(latitude=None, longitude=None, address="1 Nowhere Lane")
    # then
    assert (request.latitude, request.longitude, request.h3_cell) == (None, None, "")
    assert request.address == "1 Nowhere Lane"
    assert not request.areas.exists()


def test_coordinates_alone_get_the_address_of_the_nearest_point_within_250_metres():
    # given: about 100 m and 200 m north of the reported point
    AddressPointFactory(address="10 Near St", latitude=41.8509, longitude=-87.65, zipcode="60608")
    AddressPointFactory(address="20 Far St", latitude=41.8518, longitude=-87.65, zipcode="60609")
    # when
    request = make_request(latitude=41.85, longitude=-87.65)
    # then
    assert request.address == "10 Near St"
    assert request.zipcode == "60608"
    assert (request.latitude, request.longitude) == (41.85, -87.65)


def test_coordinates_keep_no_address_when_the_nearest_point_is_beyond_250_metres():
    # given: about 290 m north
    AddressPointFactory(address="30 Distant St", latitude=41.8526, longitude=-87.65)
    # when
    request = make_request(latitude=41.85, longitude=-87.65)
    # then
    assert request.address == ""
    assert request.zipcode == ""


def test_an_address_given_with_coordinates_is_kept_as_given():
    # given
    AddressPointFactory(address="10 Near St", latitude=41.8509, longitude=-87.65)
    # when
    request = make_request(latitude=41.85, longitude=-87.65, address="Outside the library")
    # then
    assert request.address == "Outside the library"


CROCKFORD = "[0-9A-HJKMNP-TV-Z]"


def test_a_tracking_number_is_the_prefix_and_two_groups_of_crockford_letters():
    # when
    numbers = {make_request().tracking_number for _ in range(20)}
    # then
    assert len(numbers) == 20
    for number in numbers:
        assert re.fullmatch(rf"311-{CROCKFORD}{{4}}-{CROCKFORD}{{4}}", number)


def test_the_tracking_number_prefix_is_the_citys_setting(settings):
    # given
    settings.CITYLINE_TRACKING_PREFIX = "CHI"
    # when
    request = make_request()
    # then
    assert re.fullmatch(rf"CHI-{CROCKFORD}{{4}}-{CROCKFORD}{{4}}", request.tracking_number)


def test_a_tracking_number_already_taken_is_drawn_again(monkeypatch):
    # given
    taken = make_request().tracking_number
    draws = iter([taken, "311-NEW0-0001"])
    monkeypatch.setattr(intake, "tracking_number_new", lambda: next(draws))
    # when
    request = make_request()
    # then
    assert request.tracking_number == "311-NEW0-0001"
    assert ServiceRequest.objects.filter(tracking_number=taken).count() == 1
    assert RequestUpdate.objects.filter(request=request).count() == 1


def test_intake_gives_up_after_repeated_clashes_and_stores_nothing(monkeypatch):
    # given
    taken = make_request().tracking_number
    monkeypatch.setattr(intake, "tracking_number_new", lambda: taken)
    requests_before = ServiceRequest.objects.count()
    messages_before = OutboxMessage.objects.count()
    # when / then
    with pytest.raises(IntegrityError):
        make_request()
    assert ServiceRequest.objects.count() == requests_before
    assert OutboxMessage.objects.count() == messages_before


def test_a_routing_rule_on_an_answer_sends_the_request_to_another_agency():
    # given
    utilities = AgencyFactory(code="UTIL")
    service_type = ServiceTypeFactory()
    list_question(service_type=service_type, code="on_wire", keys=["yes", "no"])
    service_type.routing_rules.create(
        attribute_code="on_wire", attribute_value="yes", agency=utilities, order=1
    )
    # when
    on_wire = make_request(service_type=service_type, answers={"on_wire": "yes"})
    off_wire = make_request(service_type=service_type, answers={"on_wire": "no"})
    unanswered = make_request(service_type=service_type)
    # then
    assert on_wire.agency == utilities
    assert off_wire.agency == service_type.agency
    assert unanswered.agency == service_type.agency


def test_a_request_of_a_type_without_an_sla_has_no_due_time():
    # when
    request = make_request(service_type=ServiceTypeFactory(sla_policy=None))
    # then
    assert request.expected_at is None
