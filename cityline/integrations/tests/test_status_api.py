from datetime import timedelta

import pytest

from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.core import clock
from cityline.integrations.services import agency_key_create
from cityline.servicerequests.models import RequestUpdate, Status, Visibility
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(code="STREETS")


@pytest.fixture
def key(agency):
    return agency_key_create(agency=agency)[1]


@pytest.fixture
def request_of(agency):
    return make_request(service_type=ServiceTypeFactory(agency=agency))


def _post(client, tracking_number, body, key):
    return client.post(
        f"/api/agency/v1/requests/{tracking_number}/events",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"} if key else {},
    )


def _event(event_id="e1", status="acknowledged", minutes_ago=5, **extra):
    at = (clock.now() - timedelta(minutes=minutes_ago)).isoformat()
    return {"event_id": event_id, "occurred_at": at, "status": status, **extra}


def test_an_agency_acknowledges_its_request(client, key, request_of):
    # given
    request_of.requested_at = clock.now() - timedelta(hours=1)
    request_of.save()
    # when
    answer = _post(client, request_of.tracking_number, _event(public_note="Crew booked"), key)
    # then
    assert answer.status_code == 201
    assert answer.json() == {
        "event_id": "e1",
        "tracking_number": request_of.tracking_number,
        "applied": True,
        "status": "acknowledged",
        "resolution": "",
    }
    request_of.refresh_from_db()
    assert request_of.status == Status.ACKNOWLEDGED and request_of.status_notes == "Crew booked"


def test_closing_needs_a_resolution_and_keeps_the_internal_note_internal(client, key, request_of):
    # given
    request_of.requested_at = clock.now() - timedelta(hours=1)
    request_of.save()
    body = _event(status="closed", resolution="completed", internal_note="Used 2 bags of asphalt")
    # when
    answer = _post(client, request_of.tracking_number, body, key)
    # then
    assert answer.status_code == 201
    request_of.refresh_from_db()
    assert (request_of.status, request_of.resolution) == (Status.CLOSED, "completed")
    internal = RequestUpdate.objects.get(request=request_of, visibility=Visibility.INTERNAL)
    assert "asphalt" in internal.note


def test_a_repeated_event_gets_the_first_answer_and_changes_nothing(client, key, request_of):
    # given
    request_of.requested_at = clock.now() - timedelta(hours=1)
    request_of.save()
    _post(client, request_of.tracking_number, _event("e1", "in_progress", minutes_ago=10), key)
    _post(client, request_of.tracking_number, _event("e2", "acknowledged", minutes_ago=5), key)
    history = RequestUpdate.objects.filter(request=request_of).count()
    # when
    again = _post(client, request_of.tracking_number, _event("e1", "in_progress", 10), key)
    # then
    assert again.status_code == 200
    assert again.json()["status"] == "in_progress"
    request_of.refresh_from_db()
    assert request_of.status == Status.ACKNOWLEDGED
    assert RequestUpdate.objects.filter(request=request_of).count() == history


def test_an_older_event_arriving_late_is_recorded_but_does_not_move_the_status_back(
    client, key, request_of
):
    # given: the agency closed the request; its earlier "in progress" arrives afterwards
    request_of.requested_at = clock.now() - timedelta(hours=1)
    request_of.save()
    closed = _event("e2", "closed", minutes_ago=5, resolution="completed")
    _post(client, request_of.tracking_number, closed, key)
    # when
    late = _post(client, request_of.tracking_number, _event("e1", "in_progress", 30), key)
    # then
    assert late.status_code == 201
    assert late.json()["applied"] is False and late.json()["status"] == "closed"
    request_of.refresh_from_db()
    assert request_of.status == Status.CLOSED
    assert RequestUpdate.objects.filter(
        request=request_of, visibility=Visibility.INTERNAL, note__contains="after a later report"
    ).exists()


def test_another_agencys_request_is_not_found(client, key):
    # given
    theirs = make_request(service_type=ServiceTypeFactory(agency=AgencyFactory(code="PARKS")))
    # when
    answer = _post(client, theirs.tracking_number, _event(), key)
    # then
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW


@pytest.mark.parametrize("sent", [None, "not-a-key"])
def test_without_a_valid_key_nothing_is_changed(client, request_of, sent):
    # when
    answer = _post(client, request_of.tracking_number, _event(), sent)
    # then
    assert answer.status_code == 401
    request_of.refresh_from_db()
    assert request_of.status == Status.NEW


def test_a_revoked_key_is_refused(client, agency, request_of):
    # given
    key_row, raw = agency_key_create(agency=agency)
    key_row.revoked_at = clock.now()
    key_row.save()
    # when
    answer = _post(client, request_of.tracking_number, _event(), raw)
    # then
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "fixed"}, "status"),
        ({"status": "closed"}, "resolution"),
        ({"status": "closed", "resolution": "done"}, "resolution"),
        ({"resolution": "completed"}, "resolution"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-01-01T10:00:00"}, "occurred_at"),
        ({"occurred_at": "2000-01-01T10:00:00Z"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T10:00:00Z"}, "occurred_at"),
        ({"event_id": ""}, "event_id"),
        ({"public_note": "x" * 4001}, "public_note"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(
    client, key, request_of, change, field
):
    # given
    request_of.requested_at = clock.now() - timedelta(hours=1)
    request_of.save()
    # when
    answer = _post(client, request_of.tracking_number, {**_event(), **change}, key)
    # then
    assert answer.status_code == 400, answer.content
    assert field in [error["field"] for error in answer.json()["errors"]]
    request_of.refresh_from_db()
    assert request_of.status == Status.NEW


def test_an_impossible_move_is_a_409(client, key, request_of):
    # given: closed by staff already
    request_of.requested_at = clock.now() - timedelta(hours=1)
    request_of.save()
    _post(
        client, request_of.tracking_number, _event("e1", "closed", 10, resolution="completed"), key
    )
    # when
    answer = _post(
        client, request_of.tracking_number, _event("e2", "closed", 5, resolution="completed"), key
    )
    # then
    assert answer.status_code == 409
