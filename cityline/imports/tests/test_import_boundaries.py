"""`cityline import boundaries` on NYC's real boundary files."""

import json

import pytest
from django.core.management import CommandError

from cityline.geo.areas import areas_for_point
from cityline.geo.models import BoundaryArea, BoundaryLayer
from cityline.imports.tests.conftest import (
    COMMUNITY_DISTRICTS,
    NYC_BOUNDARIES,
    run_import,
    whole_files,
)

pytestmark = pytest.mark.django_db

MODZCTA = NYC_BOUNDARIES / "Modified Zip Code Tabulation Areas (MODZCTA).geojson"
COUNCIL = NYC_BOUNDARIES / "city_council.geojson"


@whole_files(COMMUNITY_DISTRICTS)
def test_it_loads_the_community_districts_by_their_borocd():
    # when
    printed = run_import(
        "boundaries",
        "community-districts",
        COMMUNITY_DISTRICTS,
        "--code-property",
        "BoroCD",
        "--name",
        "Community districts",
    )
    # then
    assert printed == (
        "Layer community-districts (Community districts): 71 areas created, 0 updated.\n"
    )
    layer = BoundaryLayer.objects.get(slug="community-districts")
    assert (layer.name, layer.is_zipcode) == ("Community districts", False)
    assert layer.areas.count() == 71
    assert layer.areas.filter(code="311").exists()  # Brooklyn community district 11
    # Columbia University, Manhattan community district 9
    assert [a.code for a in areas_for_point(latitude=40.8075, longitude=-73.9626)] == ["109"]


@whole_files(COUNCIL)
def test_importing_a_layer_again_updates_its_areas():
    # given
    run_import("boundaries", "council", COUNCIL)
    # when
    printed = run_import("boundaries", "council", COUNCIL)
    # then
    assert printed == "Layer council (Council): 0 areas created, 51 updated.\n"
    assert BoundaryArea.objects.filter(layer__slug="council").count() == 51


@whole_files(MODZCTA)
def test_a_zipcode_layer_names_its_areas_and_gives_requests_their_zipcode():
    # when
    run_import(
        "boundaries",
        "zipcodes",
        MODZCTA,
        "--code-property",
        "modzcta",
        "--name-property",
        "label",
        "--zipcode",
    )
    # then
    layer = BoundaryLayer.objects.get(slug="zipcodes")
    assert layer.is_zipcode
    area = layer.areas.get(code="10001")
    assert area.name == "10001, 10118"
    found = areas_for_point(latitude=40.7506, longitude=-73.9972)  # near Penn Station
    assert [(a.code, a.is_zipcode) for a in found] == [("10001", True)]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["Bad Slug!", COMMUNITY_DISTRICTS], "is not a layer slug"),
        (["x" * 51, COMMUNITY_DISTRICTS], "longer than 50 characters"),
        (["districts", NYC_BOUNDARIES / "nowhere.geojson"], "no such file"),
        (["districts", NYC_BOUNDARIES], "no such file"),
        pytest.param(
            ["districts", COMMUNITY_DISTRICTS, "--code-property", "Nope"],
            "property 'Nope' is missing",
            marks=whole_files(COMMUNITY_DISTRICTS),
        ),
    ],
)
def test_bad_arguments_are_clear_errors(arguments, message):
    # when / then
    with pytest.raises(CommandError, match=message):
        run_import("boundaries", *arguments)
    assert not BoundaryLayer.objects.exists()


def test_a_file_that_is_not_geojson_is_a_clear_error(tmp_path):
    # given
    path = tmp_path / "layer.geojson"
    path.write_text("BoroCD,name\n101,Financial District\n")
    # when / then
    with pytest.raises(CommandError, match="not a readable GeoJSON file"):
        run_import("boundaries", "districts", path)
    assert not BoundaryLayer.objects.exists()


def test_a_layer_of_points_is_a_clear_error(tmp_path):
    # given
    path = tmp_path / "points.geojson"
    point = {"type": "Point", "coordinates": [-73.96, 40.8]}
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": point}],
            }
        )
    )
    # when / then
    with pytest.raises(CommandError, match="feature 1: geometry must be a Polygon or MultiPolygon"):
        run_import("boundaries", "districts", path)
