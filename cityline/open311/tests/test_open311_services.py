import pytest

from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceGroupFactory,
    ServiceTypeFactory,
)
from cityline.open311.tests.helpers import assert_error, parse_json, parse_xml

pytestmark = pytest.mark.django_db


def test_services_lists_public_active_types_with_the_spec_fields(client, pothole):
    # given
    ServiceTypeFactory(code="graffiti", name="Graffiti", group=ServiceGroupFactory(name="Clean"))
    ServiceTypeFactory(code="staff-only", is_public=False)
    ServiceTypeFactory(code="retired", is_active=False)
    # when
    response = client.get("/open311/v2/services.json")
    # then
    assert response.status_code == 200
    body = parse_json(response)
    assert isinstance(body, list)
    by_code = {service["service_code"]: service for service in body}
    assert set(by_code) == {"pothole", "graffiti"}
    assert by_code["pothole"] == {
        "service_code": "pothole",
        "service_name": "Pothole",
        "description": "A hole.",
        "metadata": True,
        "type": "realtime",
        "keywords": "cave-in, sinkhole",
        "group": "Streets",
    }
    assert by_code["graffiti"]["metadata"] is False
    assert by_code["graffiti"]["keywords"] == ""
    assert by_code["graffiti"]["group"] == "Clean"


def test_services_in_xml_are_service_elements_under_services(client, pothole):
    # when
    response = client.get("/open311/v2/services.xml")
    # then
    root = parse_xml(response)
    assert root.tag == "services"
    [service] = root.findall("service")
    assert [child.tag for child in service] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"


def test_services_show_no_agency_contact_addresses(client):
    # given
    agency = AgencyFactory(code="DOT", notification_email="dispatch-desk@city.example")
    ServiceTypeFactory(code="signal", agency=agency)
    # when
    response = client.get("/open311/v2/services.json")
    # then
    assert response.status_code == 200
    assert b"dispatch-desk@city.example" not in response.content


def test_a_service_definition_lists_its_attributes_and_values_in_json(client, pothole):
    # when
    response = client.get("/open311/v2/services/pothole.json")
    # then
    assert response.status_code == 200
    body = parse_json(response)
    assert body["service_code"] == "pothole"
    attributes = {attribute["code"]: attribute for attribute in body["attributes"]}
    assert list(attributes) == ["size", "hazards", "depth", "notice"]  # in question order
    size = attributes["size"]
    assert set(size) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }
    assert size["variable"] is True
    assert size["required"] is True
    assert size["datatype"] == "singlevaluelist"
    assert isinstance(size["order"], int)
    assert size["values"] == [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}]
    assert attributes["hazards"]["datatype"] == "multivaluelist"
    assert attributes["depth"]["values"] == []
    assert attributes["notice"]["variable"] is False


def test_a_service_definition_in_xml_nests_attribute_and_value_elements(client, pothole):
    # when
    response = client.get("/open311/v2/services/pothole.xml")
    # then
    root = parse_xml(response)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "pothole"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["size", "hazards", "depth", "notice"]
    assert attributes[0].findtext("required") == "true"
    values = attributes[0].findall("values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("small", "Small"),
        ("large", "Large"),
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["no-such-service", "staff-only", "retired", "x" * 100])
def test_an_unknown_or_unpublished_service_is_404(client, fmt, code):
    # given
    ServiceTypeFactory(code="staff-only", is_public=False)
    ServiceTypeFactory(code="retired", is_active=False)
    # when
    response = client.get(f"/open311/v2/services/{code}.{fmt}")
    # then
    assert_error(response, 404, mentions="service_code")


@pytest.mark.parametrize("count", [5, 50])
def test_listing_services_takes_the_same_few_queries_however_many_there_are(
    client, django_assert_num_queries, count
):
    # given
    for number in range(count):
        service_type = ServiceTypeFactory(code=f"service-{number}")
        service_type.keywords.create(term=f"word-{number}")
        service_type.attributes.create(code="q", description="?", datatype="string")
    # when
    with django_assert_num_queries(3):
        response = client.get("/open311/v2/services.json")
    # then
    assert len(parse_json(response)) == count
