import uuid
from urllib.parse import urlencode

import pytest

from cityline.open311.tests.helpers import PERSONAL, assert_error, parse_json, parse_xml
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_token_leads_to_its_service_request_id_in_json(client):
    # given
    request = make_request(requester=RequesterDetails(**PERSONAL))
    # when
    response = client.get(f"/open311/v2/tokens/{request.token}.json")
    # then
    assert response.status_code == 200
    assert parse_json(response) == [
        {"service_request_id": request.tracking_number, "token": str(request.token)}
    ]
    for value in PERSONAL.values():
        assert value.encode() not in response.content


def test_a_token_in_xml_is_a_request_under_service_requests(client):
    # given
    request = make_request()
    # when
    root = parse_xml(client.get(f"/open311/v2/tokens/{request.token}.xml"))
    # then
    assert root.tag == "service_requests"
    [element] = root.findall("request")
    assert element.findtext("service_request_id") == request.tracking_number
    assert element.findtext("token") == str(request.token)


def test_the_token_a_post_returns_finds_the_request(client, pothole, raw_key):
    # given
    posted = client.post(
        "/open311/v2/requests.json",
        urlencode(
            {
                "api_key": raw_key,
                "service_code": "pothole",
                "address_string": "1 Main St",
                "attribute[size]": "small",
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    [created] = parse_json(posted)
    # when
    [found] = parse_json(client.get(f"/open311/v2/tokens/{created['token']}.json"))
    # then
    assert found["service_request_id"] == created["service_request_id"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("token", [str(uuid.uuid4()), "not-a-token", "1" * 300])
def test_an_unknown_or_malformed_token_is_404(client, fmt, token):
    # given
    make_request()
    # when
    response = client.get(f"/open311/v2/tokens/{token}.{fmt}")
    # then
    assert_error(response, 404, mentions="token")
