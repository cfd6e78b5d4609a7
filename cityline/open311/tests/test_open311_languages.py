"""Open311 serves the catalog as the city writes it, unless the client asks for a language with
`locale` or Accept-Language."""

import pytest

from cityline.catalog.services import (
    QuestionText,
    ServiceTypeText,
    Text,
    catalog_translate,
)
from cityline.open311.tests.helpers import parse_json, parse_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(pothole):
    catalog_translate(
        language="es",
        groups={"Streets": Text(name="Calles")},
        service_types={
            "pothole": ServiceTypeText(
                name="Bache",
                description="Un hoyo.",
                questions={
                    "notice": QuestionText(description="Llame al 911 si hay heridos."),
                    "size": QuestionText(values={"small": "Pequeño"}),
                },
            )
        },
    )
    return pothole


def _service(response) -> dict:
    [service] = parse_json(response)
    return service


def _notice(response) -> str:
    body = parse_json(response)
    return next(a["description"] for a in body["attributes"] if a["code"] == "notice")


def test_services_stay_in_the_city_language_by_default(client, translated):
    # when
    response = client.get("/open311/v2/services.json")
    # then
    service = _service(response)
    assert (service["service_name"], service["description"], service["group"]) == (
        "Pothole",
        "A hole.",
        "Streets",
    )
    assert response["Content-Language"] == "en"


def test_services_in_the_locale_asked_for(client, translated):
    # when
    response = client.get("/open311/v2/services.json", {"locale": "es-MX"})
    # then
    service = _service(response)
    assert (service["service_name"], service["description"], service["group"]) == (
        "Bache",
        "Un hoyo.",
        "Calles",
    )
    assert response["Content-Language"] == "es"


def test_services_in_the_accept_language_asked_for(client, translated):
    # when
    response = client.get("/open311/v2/services.xml", headers={"accept-language": "es"})
    # then
    assert parse_xml(response).find("service/service_name").text == "Bache"


def test_a_locale_not_translated_into_gets_the_city_language(client, translated):
    # when
    response = client.get("/open311/v2/services.json", {"locale": "fr"})
    # then
    assert _service(response)["service_name"] == "Pothole"
    assert response["Content-Language"] == "en"


def test_a_language_with_no_translation_falls_back_to_the_city_language(client, translated):
    # when
    response = client.get("/open311/v2/services.json", {"locale": "ar"})
    # then
    assert _service(response)["service_name"] == "Pothole"


def test_a_service_definition_s_questions_follow_the_locale(client, translated):
    # when
    default = client.get("/open311/v2/services/pothole.json")
    spanish = client.get("/open311/v2/services/pothole.json", {"locale": "es"})
    # then
    assert _notice(default) == "Call 911 if anyone is hurt."
    assert _notice(spanish) == "Llame al 911 si hay heridos."
    sizes = next(a for a in parse_json(spanish)["attributes"] if a["code"] == "size")
    assert sizes["values"] == [
        {"key": "small", "name": "Pequeño"},
        {"key": "large", "name": "Large"},
    ]
