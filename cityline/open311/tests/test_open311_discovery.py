import pytest

from cityline.open311.tests.helpers import W3C_DATETIME, assert_error, parse_json, parse_xml

pytestmark = pytest.mark.django_db


def test_discovery_lists_the_georeport_v2_endpoint_in_json(client, pothole):
    # when
    response = client.get("/open311/v2/discovery.json")
    # then
    assert response.status_code == 200
    body = parse_json(response)
    assert W3C_DATETIME.match(body["changeset"])
    assert body["contact"] and body["key_service"]
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert W3C_DATETIME.match(endpoint["changeset"])


def test_discovery_is_a_discovery_document_in_xml(client):
    # when
    response = client.get("/open311/v2/discovery.xml")
    # then
    root = parse_xml(response)
    assert root.tag == "discovery"
    assert W3C_DATETIME.match(root.findtext("changeset"))
    [endpoint] = root.findall("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert {f.text for f in endpoint.findall("formats/format")} == {
        "text/xml",
        "application/json",
    }


def test_an_empty_jurisdiction_id_is_accepted_and_another_city_is_404(client, settings):
    # given
    settings.CITYLINE_JURISDICTION_ID = "chicago.example"
    # when
    empty = client.get("/open311/v2/discovery.json?jurisdiction_id=")
    ours = client.get("/open311/v2/discovery.json?jurisdiction_id=chicago.example")
    theirs = client.get("/open311/v2/discovery.xml?jurisdiction_id=boston.example")
    # then
    assert empty.status_code == 200
    assert ours.status_code == 200
    assert_error(theirs, 404, mentions="jurisdiction_id")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/open311/v2/discovery.csv", "text/xml; charset=utf-8"),
        ("/open311/v2/nothing-here.json", "application/json; charset=utf-8"),
        ("/open311/v2/services", "text/xml; charset=utf-8"),
        ("/open311/v2/", "text/xml; charset=utf-8"),
    ],
)
def test_an_unknown_path_is_a_404_error_document(client, path, content_type):
    # when
    response = client.get(path)
    # then
    assert response["Content-Type"] == content_type
    assert_error(response, 404)


def test_a_method_the_resource_does_not_take_is_405_with_an_error_document(client):
    # when
    response = client.delete("/open311/v2/discovery.json")
    # then
    assert_error(response, 405, mentions="DELETE")
    assert response["Allow"] == "GET, HEAD"


def test_head_is_answered_like_get(client):
    # when
    response = client.head("/open311/v2/discovery.json")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
