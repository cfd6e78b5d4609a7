import pytest

from cityline.catalog.models import RequestVisibility
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel, Resolution
from cityline.servicerequests.selectors import service_request_list_open_nearby
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

HERE = {"latitude": 41.85, "longitude": -87.65}


def test_open_requests_near_the_point_are_listed_newest_first_with_public_columns():
    # given
    pothole = ServiceTypeFactory.create(code="pothole")
    older = make_request(service_type=pothole, latitude=41.851, longitude=-87.651)
    newer = make_request(service_type=pothole, latitude=41.849, longitude=-87.649)
    # when
    found = service_request_list_open_nearby(**HERE)
    # then
    assert [row.tracking_number for row in found] == [newer.tracking_number, older.tracking_number]
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
