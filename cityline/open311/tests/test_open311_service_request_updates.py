from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.accounts.services import api_key_create
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.models import OutboxMessage
from cityline.open311.tests.helpers import (
    PERSONAL,
    W3C_DATETIME,
    assert_error,
    parse_json,
    parse_xml,
)
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Resolution,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import (
    service_request_add_note,
    service_request_change_status,
    service_request_close,
)
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 2, 10, 0, 30, 654321, tzinfo=CHICAGO)
URL = "/open311/v2/servicerequestupdates.json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _history():
    """A request that was worked on, with public and internal entries, an hour ago."""
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        request = make_request(requester=RequesterDetails(**PERSONAL))
        agent = UserFactory(username="agent.smith", email="agent.smith@city.example")
        service_request_change_status(
            request=request,
            status=Status.IN_PROGRESS,
            by=agent,
            via=Channel.STAFF,
            note="A crew is on the way.",
        )
        service_request_add_note(
            request=request,
            note="Internal: the caller is the landlord",
            by=agent,
            via=Channel.STAFF,
            visibility=Visibility.INTERNAL,
        )
        service_request_close(
            request=request,
            resolution=Resolution.COMPLETED,
            by=agent,
            via=Channel.STAFF,
            public_note="Filled the hole.",
        )
    return request


def test_public_updates_are_listed_oldest_first_with_the_extension_fields(client):
    # given
    request = _history()
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 200
    rows = parse_json(response)
    assert [row["description"] for row in rows] == ["A crew is on the way.", "Filled the hole."]
    first = rows[0]
    assert list(first) == [
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    ]
    assert first["service_request_id"] == request.tracking_number
    assert [row["status"] for row in rows] == ["IN_PROGRESS", "FIXED"]
    public_ids = {
        str(u)
        for u in RequestUpdate.objects.filter(visibility=Visibility.PUBLIC).values_list(
            "public_id", flat=True
        )
    }
    assert {row["update_id"] for row in rows} <= public_ids
    assert first["updated_datetime"] == "2026-03-02T09:00:30-06:00"
    assert W3C_DATETIME.match(first["updated_datetime"])


def test_updates_in_xml_are_request_update_elements(client):
    # given
    _history()
    # when
    root = parse_xml(client.get("/open311/v2/servicerequestupdates.xml"))
    # then
    assert root.tag == "service_request_updates"
    updates = root.findall("request_update")
    assert len(updates) == 2
    assert [child.tag for child in updates[0]] == [
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    ]
    assert updates[1].findtext("status") == "FIXED"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_internal_notes_people_and_requesters_never_appear(client, fmt):
    # given
    _history()
    # when
    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}")
    # then
    assert response.status_code == 200
    assert b"landlord" not in response.content
    assert b"agent.smith" not in response.content
    for value in PERSONAL.values():
        assert value.encode() not in response.content


@pytest.mark.parametrize(
    ("resolution", "status"),
    [
        (Resolution.COMPLETED, "FIXED"),
        (Resolution.DUPLICATE, "DUPLICATE"),
        (Resolution.REFERRED, "NOT_COUNCILS_RESPONSIBILITY"),
        (Resolution.NO_ACTION_NEEDED, "NO_FURTHER_ACTION"),
        (Resolution.CANCELLED, "CLOSED"),
    ],
)
def test_a_closing_update_names_the_outcome_in_upper_case(client, resolution, status):
    # given
    service_request_close(request=make_request(), resolution=resolution, by=None, via=Channel.STAFF)
    # when
    [row] = parse_json(client.get(URL))
    # then
    assert row["status"] == status


def test_start_and_end_date_select_by_update_time(client):
    # given
    _history()
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        service_request_change_status(
            request=make_request(),
            status=Status.ACKNOWLEDGED,
            by=None,
            via=Channel.STAFF,
            note="Seen three days ago.",
        )
    # when
    default = parse_json(client.get(URL))
    window = parse_json(
        client.get(
            URL,
            {"start_date": "2026-02-26T00:00:00-06:00", "end_date": "2026-02-28T00:00:00-06:00"},
        )
    )
    since = parse_json(client.get(URL, {"start_date": "2026-02-26T00:00:00Z"}))
    # then
    assert [row["description"] for row in default] == ["A crew is on the way.", "Filled the hole."]
    assert [(row["description"], row["status"]) for row in window] == [
        ("Seen three days ago.", "INVESTIGATING")
    ]
    assert len(since) == 3


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"start_date": "last tuesday"}, "start_date"),
        ({"end_date": "2026-02-30"}, "end_date"),
        ({"start_date": "2026-03-02", "end_date": "2026-03-01"}, "start_date"),
        ({"end_date": "0001-01-01T00:00:00Z"}, "out of range"),
        ({"start_date": "0001-01-01T00:00:00+14:00"}, "out of range"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_dates_are_400_naming_the_parameter(client, params, named, fmt):
    # when
    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}", params)
    # then
    assert_error(response, 400, mentions=named)


# --- POST: an update from the public -----------------------------------------------------------


def _form(raw_key, request, **fields):
    data = {
        "api_key": raw_key,
        "service_request_id": request.tracking_number,
        "update_id": "fms-update-77",
        "updated_datetime": "2026-03-02T09:45:00-06:00",
        "status": "OPEN",
        "description": "It is getting bigger.",
        **PERSONAL,
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def _reported():
    """A request made an hour ago, before the updates the tests post."""
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        return make_request()


def _post(client, data, url=URL):
    return client.post(url, urlencode(data, doseq=True), content_type=FORM)


def _stored():
    return (RequestUpdate.objects.count(), OutboxMessage.objects.count())


def test_a_citizen_update_is_added_and_its_update_id_returned(client, raw_key):
    # given
    request = _reported()
    # when
    response = _post(client, _form(raw_key, request, media_url="https://img.example/later.jpg"))
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    assert list(body) == ["update_id"]
    update = RequestUpdate.objects.get(public_id=body["update_id"])
    assert update.kind == UpdateKind.CITIZEN_UPDATE
    assert update.request == request
    assert update.note == "It is getting bigger."
    assert update.media_url == "https://img.example/later.jpg"
    assert update.via == Channel.OPEN311
    assert update.api_key.name == "FixMyStreet"
    assert update.occurred_at == datetime(2026, 3, 2, 9, 45, tzinfo=CHICAGO)
    request.refresh_from_db()
    assert request.status == Status.NEW  # the public cannot change the status
    for value in PERSONAL.values():
        assert value.encode() not in response.content


def test_the_answer_in_xml_is_a_request_update_with_its_update_id(client, raw_key):
    # given
    request = _reported()
    # when
    response = client.post(
        "/open311/v2/servicerequestupdates.xml",
        _form(raw_key, request, status="closed"),  # multipart, and a lower-case status
    )
    # then
    assert response.status_code == 200, response.content
    root = parse_xml(response)
    assert root.tag == "service_request_updates"
    [update] = root.findall("request_update")
    assert RequestUpdate.objects.filter(
        public_id=update.findtext("update_id"), kind=UpdateKind.CITIZEN_UPDATE
    ).exists()


def test_a_posted_update_is_listed_without_the_posters_details(client, raw_key):
    # given
    request = _reported()
    _post(client, _form(raw_key, request))
    # when
    response = client.get(URL)
    # then
    [row] = parse_json(response)
    assert row["service_request_id"] == request.tracking_number
    assert row["description"] == "It is getting bigger."
    assert row["status"] == "OPEN"
    for value in PERSONAL.values():
        assert value.encode() not in response.content


@pytest.mark.parametrize(("key", "status"), [(None, 403), ("", 403), ("not-a-key", 403)])
def test_posting_an_update_needs_a_valid_api_key(client, key, status):
    # given
    request = _reported()
    before = _stored()
    # when
    response = _post(client, _form(key, request))
    # then
    assert_error(response, status, mentions="api_key")
    assert _stored() == before


def test_an_update_for_an_unknown_request_is_404(client, raw_key):
    # given
    request = _reported()
    before = _stored()
    # when
    response = _post(client, _form(raw_key, request, service_request_id="311-ZZZZ-ZZZZ"))
    # then
    assert_error(response, 404, mentions="service_request_id")
    assert _stored() == before


def test_an_update_for_a_request_of_a_staff_only_type_is_404_as_if_absent(client, raw_key):
    # given
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        request = make_request(service_type=ServiceTypeFactory(is_public=False))
    before = _stored()
    # when
    response = _post(client, _form(raw_key, request))
    # then
    assert_error(response, 404, mentions=request.tracking_number)
    assert _stored() == before


def test_an_update_for_another_jurisdiction_is_404(client, raw_key):
    # given
    request = _reported()
    before = _stored()
    # when
    response = _post(client, _form(raw_key, request, jurisdiction_id="elsewhere.example"))
    # then
    assert_error(response, 404, mentions="jurisdiction_id")
    assert _stored() == before


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"service_request_id": None}, "service_request_id"),
        ({"status": None}, "status is required"),
        ({"status": "MAYBE"}, "status"),
        ({"updated_datetime": None}, "updated_datetime"),
        ({"updated_datetime": "soon"}, "updated_datetime"),
        ({"updated_datetime": "2026-03-03T10:00:00-06:00"}, "future"),
        ({"updated_datetime": "0001-01-01T00:00:00+14:00"}, "out of range"),
        ({"description": None}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"media_url": "ftp://files.example/a.jpg"}, "media_url"),
        ({"description": "zero\x00byte"}, "description"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_update_input_is_400_naming_the_field(client, raw_key, fields, named, fmt):
    # given
    request = _reported()
    before = _stored()
    # when
    response = _post(
        client, _form(raw_key, request, **fields), url=f"/open311/v2/servicerequestupdates.{fmt}"
    )
    # then
    assert_error(response, 400, mentions=named)
    assert _stored() == before


def test_an_update_with_only_a_photo_is_accepted(client, raw_key):
    # given
    request = _reported()
    # when
    response = _post(
        client,
        _form(raw_key, request, description=None, media_url="https://img.example/p.jpg"),
    )
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    update = RequestUpdate.objects.get(public_id=body["update_id"])
    assert (update.request, update.note, update.media_url) == (
        request,
        "",
        "https://img.example/p.jpg",
    )


def test_updates_count_against_the_keys_rate_limit(client):
    # given
    _, raw = api_key_create(name="Busy app", rate_limit=1)
    request = _reported()
    # when
    first = _post(client, _form(raw, request))
    second = _post(client, _form(raw, request))
    # then
    assert first.status_code == 200
    assert_error(second, 429, mentions="api_key")
    assert RequestUpdate.objects.filter(kind=UpdateKind.CITIZEN_UPDATE).count() == 1


@pytest.mark.parametrize(
    "updated_datetime",
    ["0001-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "2026-03-02T08:59:00-06:00"],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_update_dated_before_its_request_was_made_is_400_and_not_stored(
    client, raw_key, updated_datetime, fmt
):
    # given
    request = _reported()  # at 09:00:30 in Chicago
    before = _stored()
    # when
    response = _post(
        client,
        _form(raw_key, request, updated_datetime=updated_datetime),
        url=f"/open311/v2/servicerequestupdates.{fmt}",
    )
    # then
    assert_error(response, 400, mentions="updated_datetime: an update cannot be dated before")
    assert _stored() == before


def test_an_update_dated_a_little_ahead_of_our_clock_is_accepted(client, raw_key):
    # given
    request = _reported()
    # when
    response = _post(client, _form(raw_key, request, updated_datetime="2026-03-02T10:10:00-06:00"))
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    update = RequestUpdate.objects.get(public_id=body["update_id"])
    assert update.occurred_at == datetime(2026, 3, 2, 10, 10, tzinfo=CHICAGO)


@pytest.mark.parametrize("status", ["FIXED", "fixed", "NOT_COUNCILS_RESPONSIBILITY"])
def test_the_status_the_public_gave_is_recorded_on_the_update(client, raw_key, status):
    # given
    request = _reported()
    # when
    response = _post(client, _form(raw_key, request, status=status))
    # then
    assert response.status_code == 200, response.content
    [body] = parse_json(response)
    update = RequestUpdate.objects.get(public_id=body["update_id"])
    assert update.citizen_status == status.upper()
    request.refresh_from_db()
    assert request.status == Status.NEW  # recorded, not applied


def test_staff_see_the_status_the_public_gave_on_the_requests_admin_page(admin_client, raw_key):
    # given
    request = _reported()
    _post(admin_client, _form(raw_key, request, status="FIXED"))
    # when
    response = admin_client.get(f"/admin/servicerequests/servicerequest/{request.pk}/change/")
    # then
    assert response.status_code == 200
    assert "It is getting bigger." in response.text
    assert ">fixed<" in response.text


def _stored_at_the_start_of_time():
    """An update stored with the earliest time Python knows, as one accepted before updates
    were checked against their request's time."""
    request = _reported()
    update = RequestUpdate.objects.create(
        request=request,
        kind=UpdateKind.CITIZEN_UPDATE,
        status=request.status,
        note="From the start of time.",
        via=Channel.OPEN311,
        occurred_at=datetime(1, 1, 1, tzinfo=UTC),
    )
    return request, update


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_update_at_the_start_of_time_is_listed_in_utc(client, fmt):
    # given
    _, update = _stored_at_the_start_of_time()
    # when
    response = client.get(
        f"/open311/v2/servicerequestupdates.{fmt}", {"start_date": "0001-01-01T00:00:00Z"}
    )
    # then
    assert response.status_code == 200, response.content
    assert str(update.public_id).encode() in response.content
    assert b"0001-01-01T00:00:00+00:00" in response.content


def test_the_admin_page_of_a_request_with_an_update_at_the_start_of_time_opens(admin_client):
    # given
    request, _ = _stored_at_the_start_of_time()
    # when
    response = admin_client.get(f"/admin/servicerequests/servicerequest/{request.pk}/change/")
    # then
    assert response.status_code == 200
    assert "0001-01-01 00:00:00+00:00" in response.text


@pytest.mark.parametrize("count", [5, 50])
def test_listing_updates_takes_one_query_however_many_rows(
    client, django_assert_num_queries, count
):
    # given
    for _ in range(count):
        service_request_change_status(
            request=make_request(), status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
        )
    client.get(URL)  # the worker learns which types' requests are hidden
    # when
    with django_assert_num_queries(1):
        rows = parse_json(client.get(URL))
    # then
    assert len(rows) == count
