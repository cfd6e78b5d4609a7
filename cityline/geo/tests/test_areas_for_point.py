import json

import pytest

from cityline.geo.areas import areas_for_point, areas_for_points
from cityline.geo.services import boundary_layer_import
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square

pytestmark = pytest.mark.django_db


def import_layer(tmp_path, slug: str, areas: dict[str, dict], is_zipcode: bool = False):
    path = tmp_path / f"{slug}-{len(list(tmp_path.iterdir()))}.geojson"
    features = [
        {"type": "Feature", "properties": {"code": code}, "geometry": geometry}
        for code, geometry in areas.items()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return boundary_layer_import(slug=slug, path=path, is_zipcode=is_zipcode).layer


def codes(latitude: float, longitude: float) -> list[str]:
    return sorted(a.code for a in areas_for_point(latitude=latitude, longitude=longitude))


def test_a_point_is_found_in_the_area_that_contains_it(tmp_path):
    # given
    import_layer(
        tmp_path,
        "wards",
        {
            "1": square(west=-87.8, south=41.8, size=0.1),
            "2": square(west=-87.7, south=41.8, size=0.1),
        },
    )
    # then
    assert codes(41.85, -87.75) == ["1"]
    assert codes(41.85, -87.65) == ["2"]
    assert codes(40.0, -87.65) == []


def test_the_index_follows_a_re_import_that_moves_an_area(tmp_path):
    # given: the index is built and in use
    import_layer(tmp_path, "wards", {"1": square(west=-87.8, south=41.8, size=0.1)})
    assert codes(41.85, -87.75) == ["1"]
    # when
    import_layer(tmp_path, "wards", {"1": square(west=-87.6, south=41.8, size=0.1)})
    # then
    assert codes(41.85, -87.75) == []
    assert codes(41.85, -87.55) == ["1"]


def test_the_index_follows_a_new_layer(tmp_path):
    # given
    import_layer(tmp_path, "wards", {"1": square(west=-87.8, south=41.8, size=0.1)})
    assert codes(41.85, -87.75) == ["1"]
    # when
    import_layer(tmp_path, "zips", {"60601": square(west=-87.8, south=41.8, size=0.2)}, True)
    # then
    found = areas_for_point(latitude=41.85, longitude=-87.75)
    assert sorted((a.code, a.is_zipcode) for a in found) == [("1", False), ("60601", True)]


def test_a_point_gets_at_most_one_area_of_each_layer():
    # given: two areas of one layer overlap, and another layer covers the same ground
    wards = BoundaryLayerFactory(slug="wards")
    BoundaryAreaFactory(layer=wards, code="1", geometry=square(west=-87.8, south=41.8, size=0.2))
    BoundaryAreaFactory(layer=wards, code="2", geometry=square(west=-87.7, south=41.8, size=0.2))
    BoundaryAreaFactory(code="Z", geometry=square(west=-88, south=41, size=2))
    # when
    found = areas_for_point(latitude=41.85, longitude=-87.65)
    # then
    assert len(found) == 2
    assert len({a.layer_id for a in found}) == 2
    assert {a.code for a in found if a.layer_id == wards.id} <= {"1", "2"}


def test_many_points_are_matched_in_one_call():
    # given
    BoundaryAreaFactory(code="1", geometry=square(west=-87.8, south=41.8, size=0.1))
    # when
    found = areas_for_points([(41.85, -87.75), (0.0, 0.0), (41.81, -87.79)])
    # then
    assert [[a.code for a in areas] for areas in found] == [["1"], [], ["1"]]


def test_with_no_areas_nothing_is_found():
    # then
    assert areas_for_point(latitude=41.85, longitude=-87.65) == []
    assert areas_for_points([]) == []
