"""The report form at /report/: a resident files a request through the same intake as Open311;
every bad input is answered in the resident's language and stores nothing."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityline.accounts.models import IdempotencyKey
from cityline.catalog.models import AttributeDatatype
from cityline.catalog.tests.factories import (
    ServiceAttributeFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
    list_question,
)
from cityline.geo.tests.factories import AddressPointFactory, BoundaryAreaFactory, square
from cityline.servicerequests.models import (
    Attachment,
    Channel,
    Follower,
    Requester,
    Resolution,
    ServiceRequest,
)
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request
from cityline.servicerequests.tests.photos import jpeg_bytes, jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db

INSIDE = {"lat": "41.85", "long": "-87.65"}
OUTSIDE = {"lat": "40.70", "long": "-74.00"}
DEPTH = {"depth": "3"}


@pytest.fixture
def city():
    return BoundaryAreaFactory.create(geometry=square(west=-87.7, south=41.8, size=0.1))


@pytest.fixture
def pothole():
    service_type = ServiceTypeFactory.create(code="pothole", name="Pothole")
    ServiceAttributeFactory.create(
        service_type=service_type, code="depth", datatype=AttributeDatatype.NUMBER, required=True
    )
    ServiceAttributeFactory.create(
        service_type=service_type, code="seen", datatype=AttributeDatatype.DATETIME
    )
    ServiceAttributeFactory.create(
        service_type=service_type, code="lane", datatype=AttributeDatatype.STRING
    )
    ServiceAttributeFactory.create(
        service_type=service_type, code="more", datatype=AttributeDatatype.TEXT
    )
    list_question(service_type=service_type, code="where", keys=["road", "bike_lane"])
    list_question(service_type=service_type, code="hazards", keys=["water", "glass"], multi=True)
    return service_type


def _send(client, language="en", **data):
    form = {
        "service": "pothole",
        "submission": str(uuid.uuid4()),
        **INSIDE,
        "attribute[depth]": "12",
        "description": "A deep hole by the bus stop",
        **data,
    }
    return client.post(reverse("portal:report"), form, headers={"accept-language": language})


def _nothing_stored() -> bool:
    return not (
        ServiceRequest.objects.exists()
        or Attachment.objects.exists()
        or Requester.objects.exists()
        or IdempotencyKey.objects.exists()
    )


def test_a_resident_files_a_request_with_answers_a_photo_and_contact_details(client, city, pothole):
    # when
    response = _send(
        client,
        **{
            "attribute[seen]": "2026-12-04T21:30",
            "attribute[lane]": "left",
            "attribute[more]": "It fills with water",
            "attribute[where]": "road",
            "attribute[hazards]": ["water", "glass"],
        },
        photos=jpeg_upload(gps=True),
        first_name="Rosa",
        email="rosa@example.org",
        phone="555-0100",
        wants_updates="on",
    )
    # then
    filed = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:report-sent", args=[filed.tracking_number])
    assert (filed.service_type.code, filed.channel, filed.description) == (
        "pothole",
        Channel.WEB,
        "A deep hole by the bus stop",
    )
    assert (round(filed.latitude, 2), round(filed.longitude, 2)) == (41.85, -87.65)
    answers = {answer.attribute_code: answer.value for answer in filed.answers.all()}
    assert answers["depth"] == "12"
    assert answers["where"] == "road"
    assert filed.attachments.exclude(photo="").count() == 1
    requester = filed.requester
    assert (requester.first_name, requester.email, requester.wants_updates, requester.language) == (
        "Rosa",
        "rosa@example.org",
        True,
        "en",
    )


def test_the_confirmation_gives_the_number_the_promised_day_and_the_way_to_track(
    client, city, pothole
):
    # given
    response = _send(client, language="es")
    filed = ServiceRequest.objects.get()
    # when
    page = client.get(response["Location"], headers={"accept-language": "es"})
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert filed.tracking_number in html
    assert reverse("track:request", args=[filed.tracking_number]) in html
    assert "Qué pasa ahora" in html
    assert filed.expected_at is not None
    assert "para el " in html or "antes del " in html


def test_the_same_form_sent_twice_files_one_request(client, city, pothole):
    # given
    token = str(uuid.uuid4())
    # when
    first = _send(client, submission=token)
    again = _send(client, submission=token, description="Sent again after going back")
    # then
    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == again["Location"]
    assert ServiceRequest.objects.get().description == "A deep hole by the bus stop"


def test_another_browser_cannot_open_a_confirmation_page(client, city, pothole):
    # given
    response = _send(client)
    client.cookies.clear()
    # when
    page = client.get(response["Location"])
    # then
    assert page.status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"attribute[depth]": ""}, "attribute[depth]", "Este campo es obligatorio."),
        ({"attribute[depth]": "deep"}, "attribute[depth]", "Escriba un número"),
        ({"attribute[seen]": "yesterday"}, "attribute[seen]", "Escriba una fecha y una hora"),
        ({"attribute[where]": "sky"}, "attribute[where]", "Escoja una opción válida"),
        (OUTSIDE, "address", "fuera de la zona"),
        ({"lat": "", "long": "", "address": "1 Nowhere Lane"}, "address", "No encontramos"),
        ({"lat": "", "long": ""}, "address", "Indique la dirección"),
        ({"lat": "91", "long": "0"}, "lat", "menor o igual a 90"),
        ({"email": "not-an-address"}, "email", "correo electrónico válida"),
        ({"wants_updates": "on"}, "email", "Indique una dirección de correo"),
    ],
)
def test_bad_input_is_refused_in_the_residents_language_and_nothing_is_stored(
    client, city, pothole, change, field, message
):
    # when
    response = _send(client, language="es", **change)
    # then
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in response.content.decode()
    assert _nothing_stored()


def test_a_pdf_named_like_a_photo_is_refused_and_nothing_is_stored(client, city, pothole):
    # when
    response = _send(client, language="ar", photos=pdf_upload("hole.jpg"))
    # then
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert "تعذّر قبول هذا الملف" in response.content.decode()
    assert _nothing_stored()


def test_a_photo_of_twenty_megabytes_is_refused_and_nothing_is_stored(client, city, pothole):
    # given
    huge = jpeg_bytes() + b"\0" * (20 * 1024 * 1024)
    # when
    response = _send(client, photos=SimpleUploadedFile("big.jpg", huge, content_type="image/jpeg"))
    # then
    assert response.status_code == 400
    assert "We could not take this file as a photo" in response.content.decode()
    assert _nothing_stored()


def test_four_photos_are_refused(client, city, pothole):
    # when
    response = _send(client, photos=[jpeg_upload(f"p{n}.jpg") for n in range(4)])
    # then
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert _nothing_stored()


def test_an_address_of_the_city_is_placed_without_javascript(client, city, pothole):
    # given
    AddressPointFactory.create(address="100 Main St", latitude=41.86, longitude=-87.66)
    # when
    response = _send(client, lat="", long="", address="100 main street")
    # then
    assert response.status_code == 302
    filed = ServiceRequest.objects.get()
    assert (filed.address, round(filed.latitude, 2)) == ("100 main street", 41.86)


def test_checking_a_place_lists_open_requests_of_the_type_nearby_to_follow(client, city, pothole):
    # given
    open_nearby = make_request(
        service_type=pothole, latitude=41.8501, longitude=-87.6501, answers=DEPTH
    )
    closed = make_request(service_type=pothole, answers=DEPTH)
    service_request_close(
        request=closed, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
    )
    other_type = make_request(latitude=41.8501, longitude=-87.6501)
    # when
    response = _send(client, look="1", **{"attribute[depth]": ""})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert open_nearby.tracking_number in html
    assert other_type.tracking_number not in html
    assert closed.tracking_number not in html
    assert reverse("track:follow", args=[open_nearby.tracking_number]) in html
    assert "This is my problem too: follow it" in html
    assert ServiceRequest.objects.count() == 3


def test_following_a_nearby_request_adds_an_unconfirmed_follower_and_no_request(
    client, city, pothole
):
    # given
    open_nearby = make_request(service_type=pothole, answers=DEPTH)
    # when
    response = client.post(
        reverse("track:follow", args=[open_nearby.tracking_number]),
        {"email": "neighbour@example.org"},
    )
    # then
    assert response.status_code == 302
    assert Follower.objects.get().confirmed_at is None
    assert ServiceRequest.objects.count() == 1


def test_the_nearby_part_lists_open_requests_and_refuses_a_bad_point(client, city, pothole):
    # given
    nearby = make_request(service_type=pothole, answers=DEPTH)
    # when
    listed = client.get(reverse("portal:report-nearby"), {**INSIDE, "service": "pothole"})
    refused = client.get(reverse("portal:report-nearby"), {"lat": "north", "long": "-87.65"})
    unknown = client.get(reverse("portal:report-nearby"), {**INSIDE, "service": "nope"})
    # then
    assert nearby.tracking_number in listed.content.decode()
    assert (refused.status_code, unknown.status_code) == (400, 400)


def test_address_suggestions_come_from_the_address_points(client, city):
    # given
    AddressPointFactory.create(address="100 Main St")
    AddressPointFactory.create(address="102 Main St")
    AddressPointFactory.create(address="100 Oak Ave")
    # when
    found = client.get(reverse("portal:report-addresses"), {"q": "10"}).json()
    narrower = client.get(reverse("portal:report-addresses"), {"q": "100 main"}).json()
    # then
    assert [a["address"] for a in found["addresses"]] == [
        "100 Main St",
        "100 Oak Ave",
        "102 Main St",
    ]
    assert [a["address"] for a in narrower["addresses"]] == ["100 Main St"]


def test_words_lead_to_suggested_types_best_first_and_never_a_staff_only_one(client):
    # given
    pothole = ServiceTypeFactory.create(code="pothole", name="Pothole")
    ServiceTypeKeywordFactory.create(service_type=pothole, term="hole")
    staff_only = ServiceTypeFactory.create(code="board-up", name="Board up hole", is_public=False)
    # when
    page = client.get(reverse("portal:report"), {"q": "pothole in the road"})
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert "?service=pothole" in html
    assert staff_only.code not in html


def test_an_unknown_or_staff_only_service_is_not_offered(client):
    # given
    ServiceTypeFactory.create(code="board-up", is_public=False)
    # when
    unknown = client.get(reverse("portal:report"), {"service": "nope"})
    staff_only = client.get(reverse("portal:report"), {"service": "board-up"})
    # then
    assert (unknown.status_code, staff_only.status_code) == (404, 404)
    assert "We do not offer this service here" in staff_only.content.decode()


def test_the_form_asks_the_services_questions_with_their_help(client, pothole):
    # given
    ServiceAttributeFactory.create(
        service_type=pothole,
        code="size",
        description="How wide is it?",
        datatype_description="In centimetres, roughly",
    )
    # when
    html = client.get(reverse("portal:report"), {"service": "pothole"}).content.decode()
    # then
    assert "How wide is it?" in html
    assert "In centimetres, roughly" in html
    assert 'name="attribute[hazards]"' in html
    assert 'name="submission"' in html
    assert "never shown on the public pages" in html


def test_one_client_sending_reports_past_the_limit_is_refused(client, city, pothole, settings):
    # given
    settings.CITYLINE_REPORT_RATE = "2/h"
    _send(client)
    _send(client)
    # when
    refused = _send(client)
    # then
    assert refused.status_code == 429
    assert ServiceRequest.objects.count() == 2


def test_the_suggestions_follow_the_typing_as_a_part_of_the_page(client):
    # given
    ServiceTypeFactory.create(code="pothole", name="Pothole")
    # when
    part = client.get(reverse("portal:report"), {"q": "pothole"}, headers={"HX-Request": "true"})
    # then
    html = part.content.decode()
    assert html.startswith('<section id="suggestions"')
    assert "?service=pothole" in html
