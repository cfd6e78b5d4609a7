import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityline.catalog.models import RequestVisibility
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest
from cityline.servicerequests.selectors import service_request_list_open_nearby
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

HERE = {"latitude": 41.85, "longitude": -87.65}


def test_open_requests_near_the_point_are_listed_nearest_first_with_public_columns():
    # given
    pothole = ServiceTypeFactory.create(code="pothole")
    farther = make_request(service_type=pothole, latitude=41.852, longitude=-87.652)
    nearer = make_request(service_type=pothole, latitude=41.8502, longitude=-87.6502)
    # when
    found = service_request_list_open_nearby(**HERE)
    # then
    assert [row.tracking_number for row in found] == [
        nearer.tracking_number,
        farther.tracking_number,
    ]
    assert found[0].metres < found[1].metres
    assert found[0]._fields == (
        "tracking_number",
        "service_code",
        "service_name",
        "status",
        "requested_at",
        "expected_at",
        "address",
        "latitude",
        "longitude",
        "demand",
        "metres",
    )


def test_closed_far_hidden_and_other_types_requests_are_left_out():
    # given
    pothole = ServiceTypeFactory.create(code="pothole")
    hidden = ServiceTypeFactory.create(
        code="welfare-check", request_visibility=RequestVisibility.HIDDEN
    )
    wanted = make_request(service_type=pothole)
    closed = service_request_close(
        request=make_request(service_type=pothole),
        resolution=Resolution.COMPLETED,
        by=None,
        via=Channel.STAFF,
    )
    far = make_request(service_type=pothole, latitude=41.95, longitude=-87.65)
    secret = make_request(service_type=hidden)
    other = make_request()
    # when
    of_type = service_request_list_open_nearby(**HERE, service_type_id=pothole.pk)
    of_any = service_request_list_open_nearby(**HERE)
    # then
    assert [row.tracking_number for row in of_type] == [wanted.tracking_number]
    listed = {row.tracking_number for row in of_any}
    assert listed == {wanted.tracking_number, other.tracking_number}
    assert not listed & {closed.tracking_number, far.tracking_number, secret.tracking_number}


def test_at_the_same_distance_the_newest_comes_first():
    # given
    pothole = ServiceTypeFactory.create(code="pothole")
    older = make_request(service_type=pothole, **HERE)
    newer = make_request(service_type=pothole, **HERE)
    # when
    found = service_request_list_open_nearby(**HERE)
    # then
    assert [row.tracking_number for row in found] == [newer.tracking_number, older.tracking_number]


def test_staff_see_the_nearby_requests_among_those_they_may_see():
    # given
    hidden = ServiceTypeFactory.create(
        code="welfare-check", request_visibility=RequestVisibility.HIDDEN
    )
    secret = make_request(service_type=hidden)
    # when
    found = service_request_list_open_nearby(
        **HERE, among=ServiceRequest.objects.filter(pk=secret.pk)
    )
    # then
    assert [row.tracking_number for row in found] == [secret.tracking_number]


def _listing_plan(service_type_id: int | None = None) -> str:
    with CaptureQueriesContext(connection) as queries:
        service_request_list_open_nearby(
            latitude=HERE["latitude"], longitude=HERE["longitude"], service_type_id=service_type_id
        )
    [listing] = [query["sql"] for query in queries if "h3_cell" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + listing)
        return str(cursor.fetchall())


@pytest.mark.skipif(
    os.environ.get("CITYLINE_TEST_DB") == "postgres",
    reason="the plan of SQLite, which has no statistics to choose by",
)
def test_sqlite_reads_nearby_requests_from_the_open_requests_alone():
    # given
    pothole = ServiceTypeFactory.create(code="pothole")
    make_request(service_type=pothole)
    # when
    of_type = _listing_plan(service_type_id=pothole.pk)
    of_any = _listing_plan()
    # then: neither a type's whole history (sr_type_requested_idx) nor the cells' closed
    # requests too (sr_cell_requested_idx)
    assert "sr_open_type_newest_idx" in of_type
    assert "sr_open_cell_newest_idx" in of_any
