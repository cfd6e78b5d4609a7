"""Open311 POSTs with an Idempotency-Key: a retry gets the first answer instead of a second
request; the same key with another request is refused."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine

from cityline.accounts.services import api_key_create
from cityline.open311.tests.helpers import assert_error, parse_json, parse_xml
from cityline.servicerequests.models import RequestUpdate, ServiceRequest
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db
REQUESTS = "/open311/v2/requests.json"
UPDATES = "/open311/v2/servicerequestupdates.json"
FORM = "application/x-www-form-urlencoded"
KEY = "5f0c6c1e-8d1b-4d0e-9a57-1c3a2f9e7b10"


@pytest.fixture
def report(raw_key, pothole):
    return {
        "api_key": raw_key,
        "service_code": "pothole",
        "lat": "41.85",
        "long": "-87.65",
        "description": "A deep pothole in the bus lane.",
        "attribute[size]": "large",
    }


def _post(client, data, *, url=REQUESTS, key=KEY):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(url, urlencode(data), content_type=FORM, headers=headers)


class TestRequests:
    def test_a_retry_gets_the_first_request_instead_of_a_new_one(self, client, report):
        # given
        first = _post(client, report)
        # when
        retry = _post(client, report)
        # then
        assert first.status_code == retry.status_code == 200, retry.content
        assert parse_json(retry) == parse_json(first)
        [created] = ServiceRequest.objects.all()
        assert parse_json(retry)[0]["service_request_id"] == created.tracking_number

    def test_the_key_may_be_a_parameter_and_the_retry_may_ask_for_xml(self, client, report):
        # given
        first = _post(client, {**report, "idempotency_key": KEY}, key=None)
        # when
        retry = client.post(
            f"/open311/v2/requests.xml?idempotency_key={KEY}", urlencode(report), content_type=FORM
        )
        # then
        assert retry.status_code == 200, retry.content
        [body] = parse_json(first)
        assert parse_xml(retry).findtext("request/service_request_id") == body["service_request_id"]
        assert ServiceRequest.objects.count() == 1

    def test_the_same_key_with_another_request_is_refused(self, client, report):
        # given
        _post(client, report)
        # when
        response = _post(client, {**report, "description": "Another hole, further on."})
        # then
        assert_error(response, 422, mentions="Idempotency-Key")
        assert list(ServiceRequest.objects.values_list("description", flat=True)) == [
            "A deep pothole in the bus lane."
        ]

    def test_without_a_key_each_post_is_a_new_request(self, client, report):
        # when
        _post(client, report, key=None)
        _post(client, report, key=None)
        # then
        assert ServiceRequest.objects.count() == 2

    def test_each_api_key_has_its_own_keys(self, client, report):
        # given
        _, other_raw_key = api_key_create(name="SeeClickFix", rate_limit=0)
        first = _post(client, report)
        # when
        other = _post(client, {**report, "api_key": other_raw_key})
        # then
        assert other.status_code == 200, other.content
        assert parse_json(other) != parse_json(first)
        assert ServiceRequest.objects.count() == 2

    def test_a_refused_post_is_not_remembered(self, client, report):
        # given
        refused = _post(client, {**report, "lat": "north"})
        # when
        fixed = _post(client, report)
        # then
        assert_error(refused, 400, mentions="lat")
        assert fixed.status_code == 200, fixed.content
        assert ServiceRequest.objects.count() == 1

    def test_a_post_without_a_valid_api_key_is_refused_as_before(self, client, report):
        # when
        response = _post(client, {**report, "api_key": "not-a-key"})
        # then
        assert_error(response, 403, mentions="api_key")
        assert not ServiceRequest.objects.exists()

    def test_a_key_is_forgotten_after_a_day(self, client, report):
        # given
        _post(client, report)
        # when
        with time_machine.travel(timedelta(days=1, minutes=1)):
            later = _post(client, report)
        # then
        assert later.status_code == 200, later.content
        assert ServiceRequest.objects.count() == 2

    @pytest.mark.parametrize("key", ["", "has space", "é", "k" * 256])
    def test_a_malformed_key_is_refused_naming_it(self, client, report, key):
        # when
        response = _post(client, report, key=key)
        # then
        assert_error(response, 400, mentions="Idempotency-Key")
        assert not ServiceRequest.objects.exists()


class TestUpdates:
    def test_a_retried_update_is_added_once(self, client, raw_key):
        # given
        with time_machine.travel("2026-03-01T12:00:00-06:00"):
            request = make_request()
        update = {
            "api_key": raw_key,
            "service_request_id": request.tracking_number,
            "update_id": "fms-update-77",
            "updated_datetime": "2026-03-02T09:45:00-06:00",
            "status": "OPEN",
            "description": "It is getting bigger.",
        }
        first = _post(client, update, url=UPDATES)
        # when
        retry = _post(client, update, url=UPDATES)
        # then
        assert first.status_code == retry.status_code == 200, retry.content
        assert parse_json(retry) == parse_json(first)
        assert RequestUpdate.objects.filter(note="It is getting bigger.").count() == 1
