from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.catalog.models import RequestVisibility
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.open311.tests.helpers import (
    PERSONAL,
    W3C_DATETIME,
    assert_error,
    parse_json,
    parse_xml,
)
from cityline.servicerequests.models import Channel, Resolution, Visibility
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import (
    service_request_add_note,
    service_request_close,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 2, 10, 0, 30, 123456, tzinfo=CHICAGO)
LIST_URL = "/open311/v2/requests.json"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _close(request, note="Filled the hole."):
    return service_request_close(
        request=request,
        resolution=Resolution.COMPLETED,
        by=None,
        via=Channel.STAFF,
        public_note=note,
    )


def test_requests_are_listed_with_every_spec_field_in_json(client):
    # given
    service_type = ServiceTypeFactory(code="pothole", name="Pothole")
    made = make_request(
        service_type=service_type,
        description="Deep hole by the bus stop",
        media_urls=("https://img.example/1.jpg", "https://img.example/2.jpg"),
    )
    # when
    response = client.get("/open311/v2/requests.json")
    # then
    assert response.status_code == 200
    [row] = parse_json(response)
    assert list(row) == REQUEST_FIELDS
    assert row["service_request_id"] == made.tracking_number
    assert row["status"] == "open"
    assert row["service_code"] == "pothole"
    assert row["service_name"] == "Pothole"
    assert row["description"] == "Deep hole by the bus stop"
    assert row["agency_responsible"] == service_type.agency.name
    assert row["media_url"] == "https://img.example/1.jpg"
    assert (row["lat"], row["long"]) == (41.85, -87.65)
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C_DATETIME.match(row[name]), row[name]


def test_datetimes_are_in_the_city_zone_without_fractions_of_a_second(client):
    # given
    policy = SlaPolicyFactory(amount=3)
    make_request(service_type=ServiceTypeFactory(sla_policy=policy))
    # when
    [row] = parse_json(client.get("/open311/v2/requests.json"))
    # then
    assert row["requested_datetime"] == "2026-03-02T10:00:30-06:00"
    assert row["expected_datetime"] == "2026-03-05T10:00:30-06:00"


def test_a_request_without_a_due_time_or_coordinates_has_empty_values(client):
    # given
    make_request(service_type=ServiceTypeFactory(sla_policy=None), latitude=None, longitude=None)
    # when
    [row] = parse_json(client.get("/open311/v2/requests.json"))
    root = parse_xml(client.get("/open311/v2/requests.xml"))
    # then
    assert row["expected_datetime"] is None
    assert row["lat"] is None and row["long"] is None
    assert row["media_url"] == ""
    request = root.find("request")
    assert request.findtext("expected_datetime") == ""
    assert request.findtext("lat") == ""


def test_requests_in_xml_are_request_elements_under_service_requests(client):
    # given
    made = make_request(description="Broken <b>light</b> & sign")
    # when
    response = client.get("/open311/v2/requests.xml")
    # then
    root = parse_xml(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("service_request_id") == made.tracking_number
    assert request.findtext("description") == "Broken <b>light</b> & sign"
    assert W3C_DATETIME.match(request.findtext("requested_datetime"))


def test_characters_xml_cannot_carry_are_dropped_from_the_xml(client):
    # given
    make_request(description="bell\x07 and form feed\x0c")
    # when
    root = parse_xml(client.get("/open311/v2/requests.xml"))
    # then
    assert root.find("request").findtext("description") == "bell and form feed"


def test_closed_requests_are_closed_and_every_other_status_is_open(client):
    # given
    still_open = make_request()
    closed = _close(make_request())
    # when
    rows = parse_json(client.get("/open311/v2/requests.json"))
    # then
    statuses = {row["service_request_id"]: row["status"] for row in rows}
    assert statuses == {still_open.tracking_number: "open", closed.tracking_number: "closed"}
    assert {row["status_notes"] for row in rows} == {"", "Filled the hole."}


@pytest.mark.parametrize(
    ("status", "expected"),
    [("open", {"open"}), ("closed", {"closed"}), ("open,closed", {"open", "closed"})],
)
def test_status_filters_by_open_and_closed(client, status, expected):
    # given
    make_request()
    _close(make_request())
    # when
    rows = parse_json(client.get("/open311/v2/requests.json", {"status": status}))
    # then
    assert {row["status"] for row in rows} == expected


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_status_is_400_naming_status(client, fmt):
    # when
    response = client.get(f"/open311/v2/requests.{fmt}", {"status": "open,pending"})
    # then
    assert_error(response, 400, mentions="status")


def test_service_code_filters_by_a_comma_list_of_codes(client):
    # given
    for code in ("pothole", "graffiti", "noise"):
        make_request(service_type=ServiceTypeFactory(code=code))
    # when
    rows = parse_json(
        client.get("/open311/v2/requests.json", {"service_code": "pothole,noise,unknown"})
    )
    # then
    assert sorted(row["service_code"] for row in rows) == ["noise", "pothole"]


def test_one_service_code_lists_that_type_newest_first_in_one_query(
    client, django_assert_num_queries
):
    # given
    pothole = ServiceTypeFactory(code="pothole")
    make_request(service_type=ServiceTypeFactory(code="noise"))
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        older = make_request(service_type=pothole)
    newer = make_request(service_type=pothole)
    client.get("/open311/v2/requests.json")  # the worker learns which types' requests are hidden
    # when
    with django_assert_num_queries(1):
        rows = parse_json(client.get("/open311/v2/requests.json", {"service_code": "pothole"}))
    unknown = parse_json(client.get("/open311/v2/requests.json", {"service_code": "unknown"}))
    # then
    assert [row["service_request_id"] for row in rows] == [
        newer.tracking_number,
        older.tracking_number,
    ]
    assert unknown == []


def test_service_request_id_returns_those_requests_and_ignores_other_filters(client):
    # given
    with time_machine.travel(NOW - timedelta(days=400), tick=False):
        old = _close(make_request(service_type=ServiceTypeFactory(code="old")))
    recent = make_request(service_type=ServiceTypeFactory(code="recent"))
    make_request()
    # when
    rows = parse_json(
        client.get(
            "/open311/v2/requests.json",
            {
                "service_request_id": f"{old.tracking_number}, {recent.tracking_number}",
                "status": "open",
                "service_code": "recent",
                "start_date": "2026-03-01T00:00:00Z",
            },
        )
    )
    # then
    assert [row["service_request_id"] for row in rows] == [
        recent.tracking_number,
        old.tracking_number,
    ]


def test_without_dates_the_last_90_days_are_listed_newest_first(client):
    # given
    with time_machine.travel(NOW - timedelta(days=91), tick=False):
        make_request(description="too old")
    with time_machine.travel(NOW - timedelta(days=89), tick=False):
        oldest = make_request()
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        newer = make_request()
    newest = make_request()
    # when
    rows = parse_json(client.get("/open311/v2/requests.json"))
    # then
    assert [row["service_request_id"] for row in rows] == [
        newest.tracking_number,
        newer.tracking_number,
        oldest.tracking_number,
    ]


def test_start_and_end_date_select_by_requested_time(client):
    # given
    for day in (1, 2, 3):
        with time_machine.travel(datetime(2026, 2, day, 12, 0, tzinfo=CHICAGO), tick=False):
            make_request(description=f"day {day}")
    # when
    rows = parse_json(
        client.get(
            "/open311/v2/requests.json",
            {"start_date": "2026-02-02T00:00:00-06:00", "end_date": "2026-02-02T23:59:59-06:00"},
        )
    )
    # then
    assert [row["description"] for row in rows] == ["day 2"]


def test_a_plus_left_unencoded_in_a_date_is_read_as_the_offset(client):
    # given
    with time_machine.travel(datetime(2026, 2, 2, 12, 0, tzinfo=CHICAGO), tick=False):
        make_request(description="day 2")
    # when: '+' in a raw query string arrives as a space
    response = client.get(
        "/open311/v2/requests.json?start_date=2026-02-02T17:00:00+01:00"
        "&end_date=2026-02-02T19:00:00+01:00"
    )
    # then
    assert [row["description"] for row in parse_json(response)] == ["day 2"]


def test_only_a_start_date_lists_the_90_days_after_it(client):
    # given
    with time_machine.travel(datetime(2025, 6, 1, tzinfo=CHICAGO), tick=False):
        make_request(description="inside")
    with time_machine.travel(datetime(2025, 10, 1, tzinfo=CHICAGO), tick=False):
        make_request(description="after the window")
    # when
    rows = parse_json(client.get("/open311/v2/requests.json", {"start_date": "2025-05-15"}))
    # then
    assert [row["description"] for row in rows] == ["inside"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z" * 5}, "start_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "start_date"),
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "90 days"),
        ({"end_date": "0001-01-02T00:00:00Z"}, "out of range"),
        ({"start_date": "9999-12-30T00:00:00Z"}, "out of range"),
        ({"start_date": "0001-01-01T00:00:00+14:00"}, "out of range"),
        (
            {"start_date": "9999-12-30T00:00:00-12:00", "end_date": "9999-12-31T23:00:00-12:00"},
            "out of range",
        ),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "-5"}, "page_size"),
        ({"service_request_id": ",".join(f"311-{n}" for n in range(1001))}, "service_request_id"),
        ({"service_code": "pot\x00hole"}, "service_code"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_parameters_are_400_naming_the_parameter(client, params, named, fmt):
    # when
    response = client.get(f"/open311/v2/requests.{fmt}", params)
    # then
    assert_error(response, 400, mentions=named)


def test_page_and_page_size_are_honoured_and_page_size_is_at_most_1000(client):
    # given
    made = [make_request() for _ in range(5)]
    for request in made:
        request.refresh_from_db()
    newest_first = [r.tracking_number for r in sorted(made, key=lambda r: (r.requested_at, r.id))]
    newest_first.reverse()
    # when
    second_page = parse_json(
        client.get("/open311/v2/requests.json", {"page": "2", "page_size": "2"})
    )
    huge_page = parse_json(client.get("/open311/v2/requests.json", {"page_size": "5000"}))
    # then
    assert [row["service_request_id"] for row in second_page] == newest_first[2:4]
    assert len(huge_page) == 5


def test_extra_parameters_are_ignored(client):
    # given
    make_request()
    # when
    response = client.get(
        "/open311/v2/requests.json",
        {"extensions": "true", "lat": "41.8", "radius": "500", "anything": "else"},
    )
    # then
    assert response.status_code == 200
    assert len(parse_json(response)) == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_personal_details_or_internal_notes_appear(client, fmt):
    # given
    request = make_request(requester=RequesterDetails(**PERSONAL), description="Pothole")
    service_request_add_note(
        request=request,
        note="Internal: caller is the landlord",
        by=None,
        via=Channel.STAFF,
        visibility=Visibility.INTERNAL,
    )
    # when
    listed = client.get(f"/open311/v2/requests.{fmt}")
    single = client.get(f"/open311/v2/requests/{request.tracking_number}.{fmt}")
    # then
    for response in (listed, single):
        assert response.status_code == 200
        assert request.tracking_number.encode() in response.content
        for value in PERSONAL.values():
            assert value.encode() not in response.content
        assert b"landlord" not in response.content
        assert str(request.token).encode() not in response.content


def test_one_request_is_a_one_element_array(client):
    # given
    made = make_request()
    # when
    response = client.get(f"/open311/v2/requests/{made.tracking_number}.json")
    # then
    body = parse_json(response)
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["service_request_id"] == made.tracking_number
    assert list(body[0]) == REQUEST_FIELDS


def test_one_request_in_xml_is_one_request_under_service_requests(client):
    # given
    made = make_request()
    # when
    root = parse_xml(client.get(f"/open311/v2/requests/{made.tracking_number}.xml"))
    # then
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        made.tracking_number
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("request_id", ["311-NOPE-NOPE", "x" * 200, "%00"])
def test_an_unknown_request_is_404_and_a_nul_is_400(client, fmt, request_id):
    # when
    response = client.get(f"/open311/v2/requests/{request_id}.{fmt}")
    # then
    assert_error(response, 400 if request_id == "%00" else 404, mentions="service_request_id")


@pytest.mark.parametrize("count", [5, 50])
def test_listing_requests_takes_one_query_however_many_rows(
    client, django_assert_num_queries, count
):
    # given
    service_types = [ServiceTypeFactory(code=f"type-{n}") for n in range(3)]
    for number in range(count):
        make_request(
            service_type=service_types[number % 3],
            media_urls=(f"https://img.example/{number}.jpg",),
        )
    client.get("/open311/v2/requests.json")  # the worker learns which types' requests are hidden
    # when
    with django_assert_num_queries(1):
        response = client.get("/open311/v2/requests.json")
    with django_assert_num_queries(1):
        filtered = client.get(
            "/open311/v2/requests.xml", {"status": "open", "service_code": "type-1,type-2"}
        )
    # then
    assert len(parse_json(response)) == count
    assert len(parse_xml(filtered).findall("request")) == len(
        [n for n in range(count) if n % 3 != 0]
    )


def _board_up_and_pothole(*, board_up_visibility=RequestVisibility.AS_INTAKE):
    """A staff-only emergency board-up of a vacant building and a resident's pothole."""
    board_up = ServiceTypeFactory(
        code="board-up", is_public=False, request_visibility=board_up_visibility
    )
    hidden = make_request(service_type=board_up, description="Board up 12 Elm St, vacant")
    shown = make_request(service_type=ServiceTypeFactory(code="pothole"))
    service_request_add_note(
        request=hidden, note="Crew sent.", by=None, via=Channel.STAFF, visibility=Visibility.PUBLIC
    )
    return hidden, shown


def _listed(response) -> list[str]:
    return [row["service_request_id"] for row in parse_json(response)]


def test_requests_of_staff_only_types_are_absent_from_every_public_get(client):
    # given
    hidden, shown = _board_up_and_pothole()
    both = f"{hidden.tracking_number},{shown.tracking_number}"
    # when
    listed = _listed(client.get(LIST_URL))
    by_id = _listed(client.get(LIST_URL, {"service_request_id": both}))
    by_code = _listed(client.get(LIST_URL, {"service_code": "board-up,pothole"}))
    one = client.get(f"/open311/v2/requests/{hidden.tracking_number}.json")
    updates = client.get("/open311/v2/servicerequestupdates.json")
    # then
    assert listed == by_id == by_code == [shown.tracking_number]
    assert_error(one, 404, mentions=hidden.tracking_number)
    assert updates.status_code == 200
    assert hidden.tracking_number.encode() not in updates.content
    assert b"Board up" not in updates.content


def test_a_staff_only_type_set_public_has_its_requests_listed(client):
    # given
    hidden, shown = _board_up_and_pothole(board_up_visibility=RequestVisibility.PUBLIC)
    # when
    listed = _listed(client.get(LIST_URL))
    one = client.get(f"/open311/v2/requests/{hidden.tracking_number}.json")
    # then
    assert sorted(listed) == sorted([hidden.tracking_number, shown.tracking_number])
    assert one.status_code == 200


def test_a_public_type_set_hidden_has_its_requests_omitted(client):
    # given
    hidden = make_request(
        service_type=ServiceTypeFactory(request_visibility=RequestVisibility.HIDDEN)
    )
    shown = make_request()
    # when
    listed = _listed(client.get(LIST_URL))
    one = client.get(f"/open311/v2/requests/{hidden.tracking_number}.xml")
    # then
    assert listed == [shown.tracking_number]
    assert_error(one, 404, mentions=hidden.tracking_number)
