"""An agency's system reporting status through Open311's servicerequestupdates with its key."""

from datetime import timedelta

import pytest

from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.core import clock
from cityline.integrations.services import agency_key_create
from cityline.servicerequests.models import RequestUpdate, Status, UpdateKind
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

URL = "/open311/v2/servicerequestupdates.json"


@pytest.fixture
def agency():
    return AgencyFactory(code="STREETS")


@pytest.fixture
def key(agency):
    return agency_key_create(agency=agency)[1]


@pytest.fixture
def request_of(agency):
    request = make_request(service_type=ServiceTypeFactory(agency=agency))
    request.requested_at = clock.now() - timedelta(hours=1)
    request.save()
    return request


def _update(key, request, update_id="u1", status="FIXED", minutes_ago=5, **extra):
    return {
        "api_key": key,
        "service_request_id": request.tracking_number,
        "update_id": update_id,
        "status": status,
        "updated_datetime": (clock.now() - timedelta(minutes=minutes_ago)).isoformat(),
        "description": "Filled and rolled",
        **extra,
    }


def test_a_fixed_update_closes_the_request_as_completed(client, key, request_of):
    # when
    answer = client.post(URL, _update(key, request_of))
    # then
    assert answer.status_code == 200, answer.content
    assert answer.json() == [{"update_id": "u1"}]
    request_of.refresh_from_db()
    assert (request_of.status, request_of.resolution) == (Status.CLOSED, "completed")
    assert request_of.status_notes == "Filled and rolled"
    assert not RequestUpdate.objects.filter(kind=UpdateKind.CITIZEN_UPDATE).exists()


def test_an_update_sent_twice_is_applied_once(client, key, request_of):
    # given
    client.post(URL, _update(key, request_of, "u1", "IN_PROGRESS"))
    history = RequestUpdate.objects.filter(request=request_of).count()
    # when
    again = client.post(URL, _update(key, request_of, "u1", "IN_PROGRESS"))
    # then
    assert again.status_code == 200
    assert RequestUpdate.objects.filter(request=request_of).count() == history


def test_an_older_update_does_not_move_the_status_back(client, key, request_of):
    # given
    client.post(URL, _update(key, request_of, "u2", "FIXED", minutes_ago=5))
    # when
    client.post(URL, _update(key, request_of, "u1", "IN_PROGRESS", minutes_ago=30))
    # then
    request_of.refresh_from_db()
    assert request_of.status == Status.CLOSED


def test_another_agencys_request_is_not_found(client, key):
    # given
    theirs = make_request(service_type=ServiceTypeFactory(agency=AgencyFactory(code="PARKS")))
    # when
    answer = client.post(URL, _update(key, theirs))
    # then
    assert answer.status_code == 404
    assert "service_request_id" in answer.json()[0]["description"]


@pytest.mark.parametrize(
    ("change", "parameter"),
    [({"update_id": ""}, "update_id"), ({"status": "REOPEN"}, "status")],
)
def test_bad_input_is_an_open311_error_naming_the_parameter(
    client, key, request_of, change, parameter
):
    # when
    answer = client.post(URL, {**_update(key, request_of), **change})
    # then
    assert answer.status_code == 400
    assert answer.json()[0]["description"].startswith(parameter)
    request_of.refresh_from_db()
    assert request_of.status == Status.NEW
