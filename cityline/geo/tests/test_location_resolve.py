import pytest

from cityline.geo.cells import h3_cell
from cityline.geo.geocoding import AddressPointGeocoder, GeocodedAddress, geocoder
from cityline.geo.selectors import location_resolve
from cityline.geo.tests.factories import (
    AddressPointFactory,
    BoundaryAreaFactory,
    BoundaryLayerFactory,
    square,
)

pytestmark = pytest.mark.django_db


def test_coordinates_are_completed_with_areas_cell_and_nearby_address():
    # given
    ward = BoundaryAreaFactory(code="42", geometry=square(west=-87.7, south=41.8, size=0.1))
    AddressPointFactory(address="10 Near St", latitude=41.8509, longitude=-87.65, zipcode="60608")
    # when
    place = location_resolve(latitude=41.85, longitude=-87.65)
    # then
    assert (place.latitude, place.longitude) == (41.85, -87.65)
    assert (place.address, place.zipcode) == ("10 Near St", "60608")
    assert place.h3_cell == h3_cell(latitude=41.85, longitude=-87.65)
    assert [a.id for a in place.areas] == [ward.id]


def test_the_zipcode_layer_overrides_the_address_points_zipcode():
    # given
    zips = BoundaryLayerFactory(slug="zips", is_zipcode=True)
    BoundaryAreaFactory(layer=zips, code="60616", geometry=square(west=-87.7, south=41.8, size=0.1))
    AddressPointFactory(address="10 Near St", latitude=41.8509, longitude=-87.65, zipcode="60608")
    # when
    place = location_resolve(latitude=41.85, longitude=-87.65)
    # then
    assert place.zipcode == "60616"


def test_an_address_is_completed_with_its_coordinates():
    # given
    AddressPointFactory(
        address="121 N LaSalle St", latitude=41.8837, longitude=-87.6324, zipcode="60602"
    )
    # when
    place = location_resolve(latitude=None, longitude=None, address="121 north lasalle street")
    # then
    assert (place.latitude, place.longitude, place.zipcode) == (41.8837, -87.6324, "60602")
    assert place.address == "121 north lasalle street"
    assert place.h3_cell


def test_an_unknown_address_resolves_to_no_position():
    # when
    place = location_resolve(latitude=None, longitude=None, address="1 Nowhere Lane")
    # then
    assert (place.latitude, place.longitude, place.h3_cell, place.areas) == (None, None, "", [])
    assert place.address == "1 Nowhere Lane"


def test_nothing_resolves_to_nothing():
    # when
    place = location_resolve(latitude=None, longitude=None)
    # then
    assert (place.latitude, place.longitude, place.address, place.zipcode) == (None, None, "", "")


class FixedGeocoder:
    """A stand-in for a city's own geocoding service."""

    def geocode(self, address: str) -> GeocodedAddress | None:
        return GeocodedAddress(
            address="City Hall", latitude=41.8837, longitude=-87.6319, zipcode=""
        )

    def reverse(self, *, latitude: float, longitude: float) -> GeocodedAddress | None:
        return GeocodedAddress(
            address="City Hall", latitude=latitude, longitude=longitude, zipcode=""
        )


def test_the_geocoder_is_the_one_the_settings_name(settings):
    # given
    settings.CITYLINE_GEOCODER = f"{__name__}.FixedGeocoder"
    # when
    place = location_resolve(latitude=None, longitude=None, address="anything")
    # then
    assert isinstance(geocoder(), FixedGeocoder)
    assert (place.latitude, place.longitude) == (41.8837, -87.6319)


def test_the_default_geocoder_uses_the_address_points():
    # then
    assert isinstance(geocoder(), AddressPointGeocoder)
