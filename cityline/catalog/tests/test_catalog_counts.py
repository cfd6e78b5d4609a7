import pytest

from cityline.catalog.selectors import catalog_counts, catalog_exists
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory

pytestmark = pytest.mark.django_db


def test_an_empty_catalog_has_nothing_to_count():
    # when
    counts = catalog_counts()
    # then
    assert (counts, catalog_exists()) == ((0, 0, 0), False)


def test_the_catalog_counts_its_agencies_types_and_staff_only_types():
    # given
    agency = AgencyFactory()
    ServiceTypeFactory(agency=agency, is_public=True)
    ServiceTypeFactory(agency=agency, is_public=False)
    # when
    counts = catalog_counts()
    # then
    assert (counts.agencies, counts.service_types, counts.staff_only_types) == (1, 2, 1)
    assert catalog_exists()
