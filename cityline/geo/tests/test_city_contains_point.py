import pytest

from cityline.geo.selectors import city_contains_point
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square

pytestmark = pytest.mark.django_db


def test_a_point_inside_any_area_of_any_layer_is_in_the_city():
    # given
    BoundaryAreaFactory(
        layer=BoundaryLayerFactory(slug="wards"), geometry=square(west=0, south=0, size=1)
    )
    BoundaryAreaFactory(
        layer=BoundaryLayerFactory(slug="parks"), geometry=square(west=5, south=5, size=1)
    )
    # then
    assert city_contains_point(latitude=0.5, longitude=0.5)
    assert city_contains_point(latitude=5.5, longitude=5.5)
    assert city_contains_point(latitude=1.0, longitude=0.5)  # on an edge


def test_a_point_outside_every_area_is_not_in_the_city_even_within_their_bounds():
    # given
    BoundaryAreaFactory(geometry=square(west=0, south=0, size=1))
    BoundaryAreaFactory(geometry=square(west=5, south=5, size=1))
    # then
    assert not city_contains_point(latitude=3.0, longitude=3.0)
    assert not city_contains_point(latitude=-0.5, longitude=0.5)


def test_a_city_without_boundary_layers_contains_every_point():
    # then
    assert city_contains_point(latitude=0.0, longitude=0.0)
    assert city_contains_point(latitude=-90.0, longitude=180.0)
