import pytest

from cityline.geo.selectors import LayerCount, address_point_count, boundary_layer_counts
from cityline.geo.tests.factories import (
    AddressPointFactory,
    BoundaryAreaFactory,
    BoundaryLayerFactory,
)

pytestmark = pytest.mark.django_db


def test_each_layer_asked_for_comes_with_its_number_of_areas():
    # given
    districts = BoundaryLayerFactory(name="Districts", is_zipcode=False)
    zips = BoundaryLayerFactory(name="ZIP codes", is_zipcode=True)
    other = BoundaryLayerFactory(name="Wards")
    for _ in range(3):
        BoundaryAreaFactory(layer=districts)
    BoundaryAreaFactory(layer=other)
    # when
    counts = boundary_layer_counts(layer_ids=[districts.pk, zips.pk])
    # then
    assert sorted(counts, key=lambda c: c.name) == [
        LayerCount("Districts", 3, False),
        LayerCount("ZIP codes", 0, True),
    ]


def test_address_points_are_counted():
    # given
    AddressPointFactory()
    AddressPointFactory()
    # then
    assert address_point_count() == 2
