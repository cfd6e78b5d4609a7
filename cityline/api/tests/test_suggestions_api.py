"""GET /api/v1/suggestions and GET /api/v1/service-groups."""

import pytest

from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import (
    ServiceGroupFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    streets = ServiceGroupFactory(name="Streets", description="Roads and lights.")
    pothole = ServiceTypeFactory(code="pothole", name="Pothole", group=streets)
    ServiceTypeKeywordFactory(service_type=pothole, term="hole in the road")
    board_up = ServiceTypeFactory(
        code="emergency-board-up", name="Emergency Board-Up", group=streets, is_public=False
    )
    ServiceTypeKeywordFactory(service_type=board_up, term="hole in the road")


def test_it_suggests_public_types_best_first(client, catalog):
    # when
    response = client.get("/api/v1/suggestions", {"q": "a hole in the road", "lang": "en"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "a hole in the road" and body["lang"] == "en"
    assert [s["code"] for s in body["suggestions"]] == ["pothole"]
    first = body["suggestions"][0]
    assert first["name"] == "Pothole" and first["group"] == "Streets"
    assert first["sources"] == ["catalog"] and first["article"] is None
    assert 0 < first["score"] <= 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "hole\x00"}, "q"),
        ({"q": "hole", "lang": "fr"}, "lang"),
        ({"q": "hole", "lang": ""}, "lang"),
        ({"q": "hole", "limit": "0"}, "limit"),
        ({"q": "hole", "limit": "many"}, "limit"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, catalog, params, field):
    # when
    response = client.get("/api/v1/suggestions", params)
    # then
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert ServiceType.objects.count() == 2


def test_the_public_catalog_is_browsed_by_group(client, catalog):
    # when
    response = client.get("/api/v1/service-groups")
    # then
    assert response.status_code == 200
    assert response.json() == [
        {
            "name": "Streets",
            "description": "Roads and lights.",
            "service_types": [{"code": "pothole", "name": "Pothole"}],
        }
    ]
