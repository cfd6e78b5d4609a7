import pytest
from django.template import Context, Template

from cityline.settings import _tile_source

pytestmark = pytest.mark.django_db

MAP = Template("{% load maps %}<div {% map_data latitude longitude %}>here</div>")


def test_without_a_tile_server_a_map_draws_the_citys_own_layers(settings):
    # given
    settings.CITYLINE_MAP_TILES_URL = ""
    # when
    html = MAP.render(Context({"latitude": 41.85, "longitude": -87.65}))
    # then
    assert 'data-map data-lat="41.850000" data-lon="-87.650000"' in html
    assert 'data-base-layer="/geo/base-layer.geojson"' in html
    assert "data-tiles-url" not in html
    assert 'data-marker-icon="/static/vendor/leaflet/images/marker-icon.png"' in html


def test_with_a_tile_server_a_map_draws_its_tiles_and_credits_them(settings):
    # given
    settings.CITYLINE_MAP_TILES_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.CITYLINE_MAP_TILES_ATTRIBUTION = "© Example & friends"
    # when
    html = MAP.render(Context({"latitude": 41.85, "longitude": -87.65}))
    # then
    assert 'data-tiles-url="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tiles-attribution="© Example &amp; friends"' in html
    assert "data-base-layer" not in html


def test_a_place_without_coordinates_is_no_map():
    # when
    html = MAP.render(Context({"latitude": None, "longitude": None}))
    # then
    assert html == "<div >here</div>"


def test_the_content_security_policy_lets_images_come_from_the_tile_server():
    # then
    assert _tile_source("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == [
        "https://*.tiles.example.org"
    ]
    assert _tile_source("https://tiles.city.gov/base/{z}/{x}/{y}.png") == ["https://tiles.city.gov"]
    assert _tile_source("") == []
