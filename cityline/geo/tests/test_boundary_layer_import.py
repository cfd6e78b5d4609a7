import json

import pytest

from cityline.geo.areas import areas_for_point
from cityline.geo.models import BoundaryArea, BoundaryLayer
from cityline.geo.services import BoundaryFileError, boundary_layer_import
from cityline.geo.tests.factories import square

pytestmark = pytest.mark.django_db


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson_file(tmp_path, *features: dict, name: str = "layer.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


WEST = square(west=-87.8, south=41.8, size=0.1)
EAST = square(west=-87.7, south=41.8, size=0.1)


def test_importing_a_file_creates_a_layer_with_an_area_per_feature(tmp_path):
    # given
    path = geojson_file(tmp_path, feature(WEST, code="1"), feature(EAST, code="2"))
    # when
    result = boundary_layer_import(slug="council-districts", path=path)
    # then
    assert (result.created, result.updated) == (2, 0)
    assert result.layer.name == "Council Districts"
    assert not result.layer.is_zipcode
    areas = BoundaryArea.objects.filter(layer=result.layer)
    assert [(a.code, a.name, a.geometry) for a in areas] == [("1", "1", WEST), ("2", "2", EAST)]


def test_importing_again_updates_the_areas_in_place(tmp_path):
    # given
    first = boundary_layer_import(
        slug="wards", path=geojson_file(tmp_path, feature(WEST, code="1"), name="v1.geojson")
    )
    before = BoundaryArea.objects.get(layer=first.layer, code="1")
    # when
    second = boundary_layer_import(
        slug="wards",
        path=geojson_file(
            tmp_path,
            feature(EAST, code="1", name="Ward One"),
            feature(WEST, code="2"),
            name="v2.geojson",
        ),
        name_property="name",
    )
    # then
    assert (second.created, second.updated) == (1, 1)
    assert BoundaryLayer.objects.count() == 1
    after = BoundaryArea.objects.get(layer=second.layer, code="1")
    assert after.pk == before.pk
    assert (after.name, after.geometry) == ("Ward One", EAST)


def test_the_code_and_name_come_from_the_properties_named(tmp_path):
    # given
    path = geojson_file(
        tmp_path,
        feature(WEST, WARD=7.0, WARD_NAME="Ward Seven", code="ignored"),
        feature(EAST, WARD=8, WARD_NAME=None),
    )
    # when
    result = boundary_layer_import(
        slug="wards", path=path, code_property="WARD", name_property="WARD_NAME"
    )
    # then
    areas = BoundaryArea.objects.filter(layer=result.layer)
    assert [(a.code, a.name) for a in areas] == [("7", "Ward Seven"), ("8", "8")]


def test_a_feature_without_the_named_code_property_is_refused(tmp_path):
    # given
    path = geojson_file(tmp_path, feature(WEST, WARD=1), feature(EAST, OTHER=2))
    # when
    with pytest.raises(BoundaryFileError, match="feature 2: property 'WARD' is missing"):
        boundary_layer_import(slug="wards", path=path, code_property="WARD")
    # then
    assert not BoundaryLayer.objects.exists()


def test_the_code_falls_back_to_a_usual_property_then_to_the_position(tmp_path):
    # given
    path = geojson_file(tmp_path, feature(WEST, boro_cd=305), feature(EAST, colour="red"))
    # when
    result = boundary_layer_import(slug="boards", path=path)
    # then
    assert sorted(result.layer.areas.values_list("code", flat=True)) == ["2", "305"]


def test_a_zipcode_layer_is_marked_as_one(tmp_path):
    # when
    result = boundary_layer_import(
        slug="zips", path=geojson_file(tmp_path, feature(WEST, zcta="60601")), is_zipcode=True
    )
    # then
    assert result.layer.is_zipcode


def test_a_ring_that_crosses_itself_is_repaired_keeping_both_lobes(tmp_path):
    # given: a bow tie, its two triangles meeting at (-87.75, 41.85)
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[-87.8, 41.8], [-87.7, 41.9], [-87.7, 41.8], [-87.8, 41.9], [-87.8, 41.8]]
        ],
    }
    # when
    result = boundary_layer_import(
        slug="odd", path=geojson_file(tmp_path, feature(bow_tie, code="X"))
    )
    # then
    area = result.layer.areas.get()
    assert area.geometry["type"] == "MultiPolygon"
    assert [a.code for a in areas_for_point(latitude=41.85, longitude=-87.78)] == ["X"]
    assert [a.code for a in areas_for_point(latitude=41.85, longitude=-87.72)] == ["X"]


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [-87.7, 41.8]},
        {"type": "LineString", "coordinates": [[-87.7, 41.8], [-87.6, 41.9]]},
        None,
    ],
    ids=["point", "line", "none"],
)
def test_a_feature_that_is_not_a_polygon_is_refused(tmp_path, geometry):
    # given
    path = geojson_file(tmp_path, feature(WEST, code="1"), feature(geometry, code="2"))
    # when
    with pytest.raises(BoundaryFileError, match="feature 2: geometry must be a Polygon"):
        boundary_layer_import(slug="wards", path=path)
    # then
    assert not BoundaryArea.objects.exists()


@pytest.mark.parametrize(
    "coordinates",
    [[[[-87.7, 41.8], [-87.6, 41.9]]], "nonsense", []],
    ids=["two-points", "not-a-list", "empty"],
)
def test_a_polygon_with_unusable_coordinates_is_refused(tmp_path, coordinates):
    # given
    path = geojson_file(tmp_path, feature({"type": "Polygon", "coordinates": coordinates}))
    # when / then
    with pytest.raises(BoundaryFileError, match="feature 1"):
        boundary_layer_import(slug="wards", path=path)
    assert not BoundaryLayer.objects.exists()


def test_a_file_with_repeated_codes_is_refused_and_nothing_is_stored(tmp_path):
    # given
    path = geojson_file(tmp_path, feature(WEST, code="1"), feature(EAST, code="1"))
    # when
    with pytest.raises(BoundaryFileError, match="area codes repeat: 1"):
        boundary_layer_import(slug="wards", path=path)
    # then
    assert not BoundaryLayer.objects.exists()


@pytest.mark.parametrize(
    "content",
    ["this is not json", "[1, 2]", '{"type": "FeatureCollection", "features": []}', "{}"],
    ids=["not-json", "a-list", "no-features", "empty-object"],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(tmp_path, content):
    # given
    path = tmp_path / "broken.geojson"
    path.write_text(content)
    # when / then
    with pytest.raises(BoundaryFileError, match=r"broken\.geojson"):
        boundary_layer_import(slug="wards", path=path)
    assert not BoundaryLayer.objects.exists()


def test_a_missing_file_is_refused(tmp_path):
    # when / then
    with pytest.raises(BoundaryFileError, match="not a readable GeoJSON file"):
        boundary_layer_import(slug="wards", path=tmp_path / "absent.geojson")
