import pytest

from cityline.geo.geocoding import AddressPointGeocoder, metres_between
from cityline.geo.tests.factories import AddressPointFactory

pytestmark = pytest.mark.django_db


def test_an_address_is_found_whatever_its_spelling():
    # given
    AddressPointFactory(address="700 E Grand Ave", latitude=41.8917, longitude=-87.6086)
    # when
    found = AddressPointGeocoder().geocode("700 East Grand Avenue")
    # then
    assert (found.address, found.latitude, found.longitude) == (
        "700 E Grand Ave",
        41.8917,
        -87.6086,
    )


def test_an_unknown_address_is_not_found():
    # then
    assert AddressPointGeocoder().geocode("1 Nowhere Lane") is None


def test_the_nearest_address_point_wins():
    # given: about 200 m and 100 m north
    AddressPointFactory(address="20 Far St", latitude=41.8518, longitude=-87.65)
    AddressPointFactory(address="10 Near St", latitude=41.8509, longitude=-87.65)
    # when
    found = AddressPointGeocoder().reverse(latitude=41.85, longitude=-87.65)
    # then
    assert found.address == "10 Near St"


@pytest.mark.parametrize(("north", "found"), [(0.00216, True), (0.00234, False)])
def test_reverse_geocoding_reaches_250_metres_and_no_further(north, found):
    # given: about 240 m or 260 m north
    AddressPointFactory(address="1 Edge St", latitude=41.85 + north, longitude=-87.65)
    # when
    result = AddressPointGeocoder().reverse(latitude=41.85, longitude=-87.65)
    # then
    assert (result is not None) == found


def test_reverse_geocoding_finds_a_point_within_reach_beyond_the_next_ring_of_cells():
    # given: a spot near a corner of its H3 cell, and an address about 205 m away across the
    # corner, whose cell does not touch the spot's cell
    spot = (41.852196, -87.647325)
    AddressPointFactory(address="2 Corner St", latitude=41.8534, longitude=-87.645467)
    assert metres_between(*spot, 41.8534, -87.645467) < 250
    # when
    found = AddressPointGeocoder().reverse(latitude=spot[0], longitude=spot[1])
    # then
    assert found is not None
    assert found.address == "2 Corner St"


def test_a_close_address_is_found_with_one_query(django_assert_num_queries):
    # given: about 100 m north
    AddressPointFactory(address="10 Near St", latitude=41.8509, longitude=-87.65)
    # when
    with django_assert_num_queries(1):
        found = AddressPointGeocoder().reverse(latitude=41.85, longitude=-87.65)
    # then
    assert found.address == "10 Near St"


def test_an_address_further_than_the_nearer_cells_reach_is_looked_for_in_the_whole_reach(
    django_assert_num_queries,
):
    # given: about 240 m north, further than the two rings of cells searched first reach
    AddressPointFactory(address="1 Edge St", latitude=41.85216, longitude=-87.65)
    # when
    with django_assert_num_queries(2):
        found = AddressPointGeocoder().reverse(latitude=41.85, longitude=-87.65)
    # then
    assert found.address == "1 Edge St"
