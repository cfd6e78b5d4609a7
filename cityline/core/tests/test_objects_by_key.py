import pytest

from cityline.catalog.models import Agency
from cityline.catalog.tests.factories import AgencyFactory
from cityline.core.models import objects_by_key

pytestmark = pytest.mark.django_db


def test_objects_come_in_the_order_of_their_keys_once_each_with_the_keys_none_has():
    # given
    parks, sanitation = AgencyFactory(code="PARKS"), AgencyFactory(code="DSNY")
    # when
    found, missing = objects_by_key(
        Agency.objects.all(), "code", ["DSNY", "NOPE", "PARKS", "DSNY", "GONE"]
    )
    # then
    assert found == [sanitation, parks]
    assert missing == ["NOPE", "GONE"]


def test_no_keys_find_nothing_without_a_query(django_assert_num_queries):
    # when / then
    with django_assert_num_queries(0):
        assert objects_by_key(Agency.objects.all(), "code", []) == ([], [])
