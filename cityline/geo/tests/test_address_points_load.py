import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityline.geo.cells import h3_cell
from cityline.geo.models import AddressPoint
from cityline.geo.services import AddressRecord, address_points_load
from cityline.geo.tests.factories import AddressPointFactory

pytestmark = pytest.mark.django_db


def test_new_addresses_are_added_with_their_cell_and_normalized_form():
    # given
    records = [AddressRecord("121 North LaSalle Street", 41.8837, -87.6324, "60602")]
    # when
    added = address_points_load(records=records)
    # then
    assert added == 1
    point = AddressPoint.objects.get()
    assert (point.address, point.normalized, point.zipcode) == (
        "121 North LaSalle Street",
        "121 N LASALLE ST",
        "60602",
    )
    assert point.h3_cell == h3_cell(latitude=41.8837, longitude=-87.6324)


def test_an_address_repeated_in_the_input_keeps_its_first_position():
    # given
    records = [
        AddressRecord("5 Main Street", 41.80, -87.60),
        AddressRecord("5 MAIN ST", 41.99, -87.99),
        AddressRecord("6 Main Street", 41.81, -87.61),
    ]
    # when
    added = address_points_load(records=records)
    # then
    assert added == 2
    five = AddressPoint.objects.get(normalized="5 MAIN ST")
    assert (five.latitude, five.longitude) == (41.80, -87.60)


def test_an_address_already_known_is_not_added_again():
    # given
    AddressPointFactory(address="5 Main St", latitude=41.80, longitude=-87.60)
    # when
    added = address_points_load(records=[AddressRecord("5 Main Street", 41.99, -87.99)])
    # then
    assert added == 0
    assert AddressPoint.objects.get().latitude == 41.80


def test_records_are_loaded_in_batches_and_all_counted():
    # given
    records = [AddressRecord(f"{n} Elm Street", 41.8 + n / 1000, -87.6) for n in range(1, 8)]
    # when
    added = address_points_load(records=iter(records), batch_size=3)
    # then
    assert added == 7
    assert AddressPoint.objects.count() == 7


def test_a_record_without_an_address_is_skipped():
    # when
    added = address_points_load(records=[AddressRecord(" , ", 41.8, -87.6)])
    # then
    assert added == 0
    assert not AddressPoint.objects.exists()


def test_postgresql_is_told_of_the_loaded_points_so_it_reads_them_by_cell():
    # when
    with CaptureQueriesContext(connection) as queries:
        address_points_load(records=[AddressRecord("5 Main Street", 41.80, -87.60)])
    # then
    analyses = [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]
    if connection.vendor != "postgresql":
        assert analyses == []  # SQLite keeps no statistics unless asked
        return
    assert len(analyses) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'geo_addresspoint'")
        assert {"h3_cell", "normalized"} <= {name for (name,) in cursor.fetchall()}
