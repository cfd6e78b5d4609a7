import io
import json
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.test.utils import CaptureQueriesContext

from cityline.accounts.services import api_key_create, api_key_revoke
from cityline.catalog.tests.factories import ServiceTypeFactory, list_question
from cityline.core.models import OutboxMessage
from cityline.geo.tests.factories import (
    AddressPointFactory,
    BoundaryAreaFactory,
    BoundaryLayerFactory,
    square,
)
from cityline.open311.tests.helpers import PERSONAL, assert_error, parse_json, parse_xml
from cityline.servicerequests.models import (
    Attachment,
    Channel,
    RequestAnswer,
    Requester,
    RequestUpdate,
    ServiceRequest,
)
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
URL = "/open311/v2/requests.json"
FORM = "application/x-www-form-urlencoded"


def _form(raw_key, **fields):
    data = {
        "api_key": raw_key,
        "service_code": "pothole",
        "lat": "41.85",
        "long": "-87.65",
        "description": "A deep pothole in the bus lane.",
        "attribute[size]": "large",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def _post(client, data, *, url=URL, content_type=FORM):
    body = urlencode(data, doseq=True) if isinstance(data, (dict, list)) else data
    return client.post(url, body, content_type=content_type)


def _stored():
    """Everything a POST could write."""
    return (
        ServiceRequest.objects.count(),
        Requester.objects.count(),
        RequestAnswer.objects.count(),
        Attachment.objects.count(),
        RequestUpdate.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_a_request_is_created_and_its_id_notice_and_token_returned(client, pothole, raw_key):
    # given
    data = _form(
        raw_key,
        media_url="https://img.example/hole.jpg",
        **{"attribute[hazards]": ["water", "gas"], "attribute[depth]": "12"},
        **PERSONAL,
    )
    # when
    response = _post(client, data)
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    assert set(body) == {"service_request_id", "service_notice", "account_id", "token"}
    request = ServiceRequest.objects.get()
    assert body["service_request_id"] == request.tracking_number
    assert body["token"] == str(request.token)
    assert body["account_id"] == PERSONAL["account_id"]
    assert request.agency.name in body["service_notice"]
    assert request.channel == Channel.OPEN311
    assert request.api_key.name == "FixMyStreet"
    assert request.description == "A deep pothole in the bus lane."
    assert (request.latitude, request.longitude) == (41.85, -87.65)
    assert dict(request.answers.values_list("attribute_code", "value")) == {
        "size": "large",
        "hazards": ["water", "gas"],
        "depth": "12",
    }
    assert list(request.attachments.values_list("media_url", flat=True)) == [
        "https://img.example/hole.jpg"
    ]
    requester = request.requester
    assert (requester.email, requester.first_name, requester.phone, requester.device_id) == (
        PERSONAL["email"],
        PERSONAL["first_name"],
        PERSONAL["phone"],
        PERSONAL["device_id"],
    )


def test_the_answer_in_xml_is_a_request_under_service_requests(client, pothole, raw_key):
    # when
    response = _post(client, _form(raw_key), url="/open311/v2/requests.xml")
    # then
    assert response.status_code == 200
    root = parse_xml(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == [
        "service_request_id",
        "service_notice",
        "account_id",
        "token",
    ]
    assert request.findtext("service_request_id") == ServiceRequest.objects.get().tracking_number


def test_a_multipart_body_is_accepted(client, pothole, raw_key):
    # when: the test client sends multipart/form-data by default
    response = client.post(URL, _form(raw_key, **{"attribute[hazards][]": ["gas", "traffic"]}))
    # then
    assert response.status_code == 200, response.content
    answers = dict(RequestAnswer.objects.values_list("attribute_code", "value"))
    assert answers["hazards"] == ["gas", "traffic"]


@pytest.mark.parametrize(
    "fields",
    [
        [("attribute[hazards][]", "water"), ("attribute[hazards][]", "gas")],
        [("attribute[hazards]", "water"), ("attribute[hazards]", "gas")],
    ],
    ids=["brackets", "repeated"],
)
def test_both_forms_of_a_multi_value_answer_are_accepted(client, pothole, raw_key, fields):
    # given
    data = list(_form(raw_key).items()) + fields
    # when
    response = _post(client, data)
    # then
    assert response.status_code == 200, response.content
    answer = RequestAnswer.objects.get(attribute_code="hazards")
    assert answer.value == ["water", "gas"]


def test_api_key_and_jurisdiction_may_come_in_the_query_string_of_a_post(
    client, pothole, raw_key, settings
):
    # given
    settings.CITYLINE_JURISDICTION_ID = "chicago.example"
    data = _form(None)  # no api_key in the body
    # when
    response = _post(
        client,
        data,
        url=f"{URL}?{urlencode({'api_key': raw_key, 'jurisdiction_id': 'chicago.example'})}",
    )
    # then
    assert response.status_code == 200, response.content
    assert ServiceRequest.objects.count() == 1


def test_an_empty_jurisdiction_id_is_accepted(client, pothole, raw_key):
    # when
    response = _post(client, _form(raw_key, jurisdiction_id=""))
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    stored = ServiceRequest.objects.get(tracking_number=body["service_request_id"])
    assert (stored.service_type, stored.description) == (pothole, "A deep pothole in the bus lane.")


def test_another_jurisdiction_is_404_and_nothing_is_stored(client, pothole, raw_key):
    # when
    response = _post(client, _form(raw_key, jurisdiction_id="boston.example"))
    # then
    assert_error(response, 404, mentions="jurisdiction_id")
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_a_body_without_a_content_type_is_read_as_a_form(client, pothole, raw_key):
    # when
    response = client.generic("POST", URL, urlencode(_form(raw_key)), content_type="")
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    stored = ServiceRequest.objects.get(tracking_number=body["service_request_id"])
    assert (stored.latitude, stored.longitude, stored.channel) == (41.85, -87.65, Channel.OPEN311)
    assert RequestAnswer.objects.get(request=stored, attribute_code="size").value == "large"


def test_the_api_needs_no_csrf_token(pothole, raw_key):
    # given
    strict = Client(enforce_csrf_checks=True)
    # when
    response = _post(strict, _form(raw_key))
    # then
    assert response.status_code == 200, response.content


def test_a_location_may_be_an_address_string_or_an_address_id(client, pothole, raw_key):
    # when
    by_address = _post(client, _form(raw_key, lat=None, long=None, address_string="12 Main St"))
    by_id = _post(client, _form(raw_key, lat=None, long=None, address_id="A-1234"))
    # then
    assert by_address.status_code == 200, by_address.content
    assert by_id.status_code == 200, by_id.content
    assert set(ServiceRequest.objects.values_list("address", "address_id")) == {
        ("12 Main St", ""),
        ("", "A-1234"),
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [(None, "api_key is required"), ("", "api_key is required"), ("wrong", "not valid")],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_or_wrong_api_key_is_403_and_nothing_is_stored(
    client, pothole, raw_key, key, expected, fmt
):
    # when
    response = _post(client, _form(key), url=f"/open311/v2/requests.{fmt}")
    # then
    assert_error(response, 403, mentions=expected)
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_a_revoked_api_key_is_403(client, pothole):
    # given
    api_key, raw = api_key_create(name="Old app")
    api_key_revoke(api_key=api_key)
    # when
    response = _post(client, _form(raw))
    # then
    assert_error(response, 403, mentions="api_key")
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"service_code": None}, "service_code is required"),
        ({"service_code": "no-such-service"}, "service_code"),
        ({"service_code": "staff-only"}, "service_code"),
        ({"service_code": "retired"}, "service_code"),
        ({"service_code": "p" * 500}, "service_code"),
        ({"lat": "forty-one"}, "lat"),
        ({"lat": "91"}, "lat"),
        ({"long": "-180.5"}, "long"),
        ({"lat": "nan"}, "lat"),
        ({"long": "inf"}, "long"),
        ({"lat": "1e-320"}, "lat"),
        ({"lat": "4_1.85"}, "lat"),
        ({"lat": "\uff14\uff11.85"}, "lat"),  # full-width digits
        ({"long": "-\u0668\u0667.65"}, "long"),  # Arabic-Indic digits
        ({"lat": "0x29"}, "lat"),
        ({"lat": "41.85.1"}, "lat"),
        ({"lat": "4" * 40}, "lat"),
        ({"long": None}, "long"),
        ({"lat": None}, "lat"),
        ({"lat": None, "long": None}, "location"),
        ({"address_string": "x" * 256}, "address_string"),
        ({"address_id": "x" * 65}, "address_id"),
        ({"description": "x" * 4001}, "description"),
        ({"description": "nul\x00byte"}, "description"),
        ({"attribute[size]": None}, "attribute[size]"),
        ({"attribute[size]": "huge"}, "attribute[size]"),
        ({"attribute[size]": ["small", "large"]}, "attribute[size]"),
        ({"attribute[hazards][]": ["water", "lava"]}, "attribute[hazards]"),
        ({"attribute[depth]": "deep"}, "attribute[depth]"),
        ({"email": "not-an-email"}, "email"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"phone": "5" * 41}, "phone"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"media_url": "https://img.example/" + "x" * 1000}, "media_url"),
        ({"media_url": [f"https://img.example/{n}.jpg" for n in range(11)]}, "media_url"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_input_is_400_naming_the_field_and_nothing_is_stored(
    client, pothole, raw_key, fields, named, fmt
):
    # given
    ServiceTypeFactory(code="staff-only", is_public=False)
    ServiceTypeFactory(code="retired", is_active=False)
    # when
    response = _post(client, _form(raw_key, **fields), url=f"/open311/v2/requests.{fmt}")
    # then
    assert_error(response, 400, mentions=named)
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_fields_the_api_does_not_know_are_ignored(client, pothole, raw_key):
    # given: what FixMyStreet and other clients send besides the spec's fields
    data = _form(
        raw_key,
        title="Pothole",
        extensions="true",
        **{"attribute[report_url]": "https://fms.example/report/1", "attribute[unknown]": "x"},
    )
    # when
    response = _post(client, data)
    # then
    assert response.status_code == 200, response.content
    assert set(RequestAnswer.objects.values_list("attribute_code", flat=True)) == {"size"}


def test_a_description_of_4000_characters_is_accepted(client, pothole, raw_key):
    # when
    response = _post(client, _form(raw_key, description="x" * 4000))
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    stored = ServiceRequest.objects.get(tracking_number=body["service_request_id"])
    assert stored.description == "x" * 4000


@pytest.mark.parametrize(
    ("body", "content_type", "named"),
    [
        ('{"service_code": "pothole"}', "application/json", "body"),
        ("<request/>", "text/xml", "body"),
        ("garbage", "multipart/form-data", "body"),
        (
            "--x\r\nContent-Disposition: form-data\r\n\r\nvalue",
            "multipart/form-data; boundary=x",
            "",
        ),
        ("&".join(f"f{n}=1" for n in range(1200)), FORM, "body"),
        (b"api_key=%ff%fe&service_code=%c3%28", FORM, ""),
    ],
    ids=[
        "json",
        "xml",
        "multipart-without-boundary",
        "broken-multipart",
        "too-many-fields",
        "bad-utf8",
    ],
)
def test_garbage_bodies_get_an_error_document_and_nothing_is_stored(
    client, pothole, raw_key, body, content_type, named
):
    # when
    response = client.post(URL, body, content_type=content_type)
    # then
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code, mentions=named)
    assert _stored() == (0, 0, 0, 0, 0, 0)


@time_machine.travel(datetime(2026, 3, 2, 10, 0, 1, tzinfo=ZoneInfo("America/Chicago")), tick=False)
def test_a_key_over_its_rate_limit_gets_429_until_the_minute_passes(client, pothole):
    # given
    _, raw = api_key_create(name="Busy app", rate_limit=2)
    # when
    answers = [_post(client, _form(raw)).status_code for _ in range(2)]
    refused = _post(client, _form(raw))
    # then
    assert answers == [200, 200]
    assert_error(refused, 429, mentions="2 requests a minute")
    assert ServiceRequest.objects.count() == 2
    # and when the next minute comes
    with time_machine.travel(datetime(2026, 3, 2, 10, 1, 2, tzinfo=ZoneInfo("America/Chicago"))):
        assert _post(client, _form(raw)).status_code == 200


def test_a_key_with_rate_limit_0_is_never_limited(client, pothole):
    # given
    _, raw = api_key_create(name="Trusted back end", rate_limit=0)
    # when
    statuses = {_post(client, _form(raw)).status_code for _ in range(5)}
    # then
    assert statuses == {200}
    assert ServiceRequest.objects.count() == 5


def test_a_get_needs_no_api_key_and_is_not_rate_limited(client):
    # when
    statuses = {client.get(URL).status_code for _ in range(5)}
    # then
    assert statuses == {200}


def test_a_worker_reuses_the_service_type_it_fetched_for_the_next_post(client, pothole, raw_key):
    # given
    with CaptureQueriesContext(connection) as first:
        assert _post(client, _form(raw_key)).status_code == 200
    # when
    with CaptureQueriesContext(connection) as second:
        response = _post(client, _form(raw_key))
    # then: the type, its questions, their values and its routing rules are not fetched again
    assert response.status_code == 200
    catalog_reads = [
        q["sql"] for q in second.captured_queries if q["sql"].startswith('SELECT "catalog_')
    ]
    assert any(q["sql"].startswith('SELECT "catalog_') for q in first.captured_queries)
    assert catalog_reads == []


@pytest.fixture
def database_cache(settings):
    """The shared cache as the web workers have it: each read is a query."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cityline_cache",
        }
    }
    call_command("createcachetable", verbosity=0)


def test_a_post_reads_the_shared_cache_once_and_no_calendar_again(client, raw_key, database_cache):
    # given a business-day type this worker has already posted to
    policy = SlaPolicyFactory(amount=2, unit=SlaUnit.BUSINESS_DAYS)
    ServiceTypeFactory(code="graffiti", sla_policy=policy)
    assert _post(client, _form(raw_key, service_code="graffiti")).status_code == 200
    # when
    with CaptureQueriesContext(connection) as second:
        response = _post(client, _form(raw_key, service_code="graffiti"))
    # then: the API key, the catalog and the area tree are checked in one read of the cache,
    # and the policy's calendar and closures come with the remembered type
    assert response.status_code == 200
    sql = [q["sql"] for q in second.captured_queries]
    assert len([q for q in sql if "cityline_cache" in q]) == 1
    assert [q for q in sql if q.startswith("SELECT") and '"sla_' in q] == []


def test_a_warm_post_reads_only_the_cache_and_the_address_before_it_writes_its_rows(
    client, pothole, raw_key, database_cache
):
    # given an address at the point, and a worker that has posted once, and so remembers the
    # key, the type and the areas
    AddressPointFactory(latitude=41.85, longitude=-87.65)
    assert _post(client, _form(raw_key, **PERSONAL)).status_code == 200
    # when
    with CaptureQueriesContext(connection) as second:
        response = _post(client, _form(raw_key, **PERSONAL))
    # then: one read of the memos' tokens and one of the nearest address, then the transaction
    # (a savepoint inside the test's own) holds nothing but one INSERT per table: the request,
    # its answers, requester, creation entry and outbox message (no boundary areas here)
    assert response.status_code == 200
    sql = [q["sql"] for q in second.captured_queries]
    assert len(sql) == 9
    assert "cityline_cache" in sql[0]
    assert "geo_addresspoint" in sql[1]
    assert sql[2].startswith("SAVEPOINT")
    assert [q.split('"')[1] for q in sql[3:8]] == [
        "servicerequests_servicerequest",
        "servicerequests_requestanswer",
        "servicerequests_requester",
        "servicerequests_requestupdate",
        "core_outboxmessage",
    ]
    assert all(q.startswith("INSERT") for q in sql[3:8])
    assert sql[8].startswith("RELEASE SAVEPOINT")


def test_a_catalog_change_applies_to_the_next_post_at_once(client, pothole, raw_key):
    # given
    assert _post(client, _form(raw_key)).status_code == 200
    list_question(service_type=pothole, code="lane", keys=["bus", "bike"], required=True)
    # when
    missing_answer = _post(client, _form(raw_key))
    pothole.is_active = False
    pothole.save()
    retired = _post(client, _form(raw_key, **{"attribute[lane]": "bus"}))
    # then
    assert_error(missing_answer, 400, mentions="attribute[lane]")
    assert_error(retired, 400, mentions="service_code")
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_a_warm_post_takes_the_same_number_of_queries_however_many_photos(
    client, pothole, raw_key, django_assert_num_queries, count
):
    # given: the key, the service type and the boundary index already cached by a first POST
    assert _post(client, _form(raw_key)).status_code == 200
    data = _form(raw_key, media_url=[f"https://img.example/{n}.jpg" for n in range(count)])
    # when
    with django_assert_num_queries(9):
        response = _post(client, data)
    # then
    assert response.status_code == 200
    assert Attachment.objects.count() == count


@pytest.mark.parametrize(
    ("lat", "long"),
    [("41.8", "-87.7"), ("41.85", "-87.65"), ("+41.89", "-87.610"), ("41.850000001", "-87.6500")],
)
def test_a_point_in_the_city_is_accepted_as_a_plain_decimal(client, pothole, raw_key, lat, long):
    # given
    BoundaryAreaFactory(geometry=square(west=-87.7, south=41.8, size=0.1))
    # when
    response = _post(client, _form(raw_key, lat=lat, long=long))
    # then
    assert response.status_code == 200, response.content
    stored = ServiceRequest.objects.get()
    assert (stored.latitude, stored.longitude) == (float(lat), float(long))


@pytest.mark.parametrize(
    ("lat", "long"),
    [("0", "0"), ("90", "180"), ("-90", "-180"), ("41.79", "-87.65"), ("41.85", "-87.59")],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_point_outside_the_city_is_400_saying_so_and_nothing_is_stored(
    client, pothole, raw_key, lat, long, fmt
):
    # given: the city is two districts of one layer and one of another
    layer = BoundaryLayerFactory(slug="wards")
    BoundaryAreaFactory(layer=layer, geometry=square(west=-87.7, south=41.8, size=0.05))
    BoundaryAreaFactory(layer=layer, geometry=square(west=-87.65, south=41.8, size=0.05))
    BoundaryAreaFactory(geometry=square(west=-87.7, south=41.85, size=0.05))
    # when
    response = _post(client, _form(raw_key, lat=lat, long=long), url=f"/open311/v2/requests.{fmt}")
    # then
    assert_error(response, 400, mentions="lat and long are outside the city")
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_any_point_on_earth_is_accepted_where_no_boundaries_are_configured(
    client, pothole, raw_key
):
    # when
    response = _post(client, _form(raw_key, lat="-33.87", long="151.21"))
    # then
    assert response.status_code == 200, response.content
    assert ServiceRequest.objects.get().latitude == -33.87


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "hex", "no-such-charset"])
def test_a_multipart_body_in_a_charset_that_is_no_text_encoding_is_400(
    client, pothole, raw_key, charset
):
    # given
    body = encode_multipart(BOUNDARY, _form(raw_key))
    # when
    response = client.generic(
        "POST",
        URL,
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}; charset={charset}",
    )
    # then
    assert_error(response, 400, mentions="charset")
    assert _stored() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_form_body_that_is_not_utf8_gets_the_error_document(client, pothole, raw_key, fmt):
    # given
    body = urlencode(_form(raw_key, description="Bache profundo en la esquina")).encode("utf-16")
    # when
    response = client.generic(
        "POST", f"/open311/v2/requests.{fmt}", body, content_type=f"{FORM}; charset=utf-16"
    )
    # then
    assert_error(response, 400, mentions="UTF-8")
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_a_body_declared_over_the_cap_is_413_before_the_key_is_looked_at(client, pothole, settings):
    # given
    settings.CITYLINE_OPEN311_MAX_BODY_SIZE = 1000
    # when
    response = _post(client, _form("not-a-key", description="x" * 1000))
    # then
    assert_error(response, 413, mentions="larger than 1000 bytes")
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_a_file_part_over_the_cap_is_413_and_nothing_is_stored(client, pothole, raw_key, settings):
    # given
    settings.CITYLINE_OPEN311_MAX_FILE_SIZE = 10_000
    photo = SimpleUploadedFile("hole.jpg", b"\xff" * 10_001, content_type="image/jpeg")
    # when
    response = client.post(URL, {**_form(raw_key), "media": photo})
    # then
    assert_error(response, 413, mentions="media")
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_a_key_in_the_query_string_is_refused_before_the_body_is_read(client, pothole, settings):
    # given: a file part over the cap, which reading the body would refuse with 413
    settings.CITYLINE_OPEN311_MAX_FILE_SIZE = 10_000
    photo = SimpleUploadedFile("hole.jpg", b"\xff" * 10_001, content_type="image/jpeg")
    # when
    response = client.post(f"{URL}?api_key=not-a-key", {**_form(None), "media": photo})
    # then
    assert_error(response, 403, mentions="api_key is not valid")
    assert _stored() == (0, 0, 0, 0, 0, 0)


def test_a_file_part_under_the_cap_is_dropped_and_the_request_created(client, pothole, raw_key):
    # given
    photo = SimpleUploadedFile("hole.jpg", b"\xff" * 5000, content_type="image/jpeg")
    # when
    response = client.post(URL, {**_form(raw_key), "media": photo})
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    stored = ServiceRequest.objects.get(tracking_number=body["service_request_id"])
    assert stored.description == "A deep pothole in the bus lane."
    assert Attachment.objects.count() == 0


def _through_the_wsgi_server(method: str, path: str, query: str, body: bytes, content_type: str):
    """The answer of the application the web server runs, not the test client's handler."""
    from cityline.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
    }
    started: list[str] = []

    def start_response(status, headers, exc_info=None):
        started.append(status)
        return lambda data: None

    # As the test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    try:
        content = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
    return started[0], json.loads(content)


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib"])
def test_a_charset_that_is_no_text_encoding_is_400_even_with_a_query_string(
    pothole, raw_key, charset
):
    # given
    body = encode_multipart(BOUNDARY, _form(None))
    # when
    status, [error] = _through_the_wsgi_server(
        "POST",
        "/open311/v2/requests.json",
        urlencode({"api_key": raw_key}),
        body,
        f"multipart/form-data; boundary={BOUNDARY}; charset={charset}",
    )
    # then
    assert status.startswith("400")
    assert "charset" in error["description"]
    assert _stored() == (0, 0, 0, 0, 0, 0)
