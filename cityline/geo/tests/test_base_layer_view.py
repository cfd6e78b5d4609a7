import pytest
from django.urls import reverse

from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square

pytestmark = pytest.mark.django_db

URL = reverse("geo:base-layer")


def test_the_base_layer_draws_each_area_as_its_outline(client):
    # given
    council = BoundaryLayerFactory.create(slug="council")
    BoundaryAreaFactory.create(
        layer=council, name="District 1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    (feature,) = response.json()["features"]
    assert feature["properties"] == {"layer": "council", "name": "District 1"}
    assert feature["geometry"]["type"] == "LineString"
    corners = {tuple(point) for point in feature["geometry"]["coordinates"]}
    assert corners == {(-87.7, 41.8), (-87.6, 41.8), (-87.6, 41.9), (-87.7, 41.9)}


def test_the_base_layer_drops_points_a_small_map_cannot_show(client):
    # given: a square whose bottom edge has a bend of under a metre
    ring = [[-87.7, 41.8], [-87.65, 41.800001], [-87.6, 41.8], [-87.6, 41.9], [-87.7, 41.9]]
    BoundaryAreaFactory.create(geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    # when
    (feature,) = client.get(URL).json()["features"]
    # then
    assert [-87.65, 41.800001] not in feature["geometry"]["coordinates"]
    assert len(feature["geometry"]["coordinates"]) == 5


def test_a_browser_that_has_the_base_layer_is_told_it_has_not_changed(client):
    # given
    BoundaryAreaFactory.create()
    first = client.get(URL)
    # when
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    # then
    assert again.status_code == 304
    assert "public" in first["Cache-Control"]
    assert "max-age=" in first["Cache-Control"]


def test_a_changed_area_changes_the_base_layer_and_its_etag(client):
    # given
    area = BoundaryAreaFactory.create(name="Old name")
    first = client.get(URL)
    # when
    area.name = "New name"
    area.save()
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    # then
    assert again.status_code == 200
    assert again.json()["features"][0]["properties"]["name"] == "New name"
    assert again["ETag"] != first["ETag"]


def test_a_city_without_areas_has_an_empty_base_layer(client):
    # when
    response = client.get(URL)
    # then
    assert response.json() == {"type": "FeatureCollection", "features": []}


def test_the_base_layer_is_only_read(client):
    # when
    response = client.post(URL)
    # then
    assert response.status_code == 405
