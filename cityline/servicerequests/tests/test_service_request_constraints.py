import pytest
from django.db import IntegrityError, transaction

from cityline.core import clock
from cityline.servicerequests.models import Resolution, ServiceRequest, Status
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"status": Status.CLOSED},
        {"status": Status.CLOSED, "closed_at": clock.now},
        {"status": Status.CLOSED, "resolution": Resolution.COMPLETED},
        {"status": Status.IN_PROGRESS, "resolution": Resolution.COMPLETED},
    ],
    ids=["no-resolution-no-time", "no-resolution", "no-time", "open-with-resolution"],
)
def test_the_database_refuses_a_closed_request_without_resolution_or_an_open_one_with(change):
    # given
    request = make_request()
    values = {key: value() if callable(value) else value for key, value in change.items()}
    # when / then
    with pytest.raises(IntegrityError, match="sr_closed_iff_resolved"), transaction.atomic():
        ServiceRequest.objects.filter(pk=request.pk).update(**values)
    request.refresh_from_db()
    assert (request.status, request.resolution) == (Status.NEW, "")


def test_the_database_accepts_a_closed_request_with_a_resolution_and_a_time():
    # given
    request = make_request()
    # when
    ServiceRequest.objects.filter(pk=request.pk).update(
        status=Status.CLOSED, resolution=Resolution.COMPLETED, closed_at=clock.now()
    )
    # then
    request.refresh_from_db()
    assert request.status == Status.CLOSED
