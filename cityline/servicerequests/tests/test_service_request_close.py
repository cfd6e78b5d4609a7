from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.accounts.tests.factories import UserFactory
from cityline.core.errors import DomainError, InvalidTransition
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Resolution,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.lifecycle import (
    service_request_change_status,
    service_request_close,
)
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize("resolution", Resolution.values)
def test_closing_records_the_resolution_and_the_time(resolution):
    # given
    clerk = UserFactory(username="clerk")
    request = make_request_in_status(Status.IN_PROGRESS)
    closed_at = datetime(2026, 4, 2, 15, 30, tzinfo=CHICAGO)
    # when
    with time_machine.travel(closed_at, tick=False):
        service_request_close(
            request=request,
            resolution=resolution,
            by=clerk,
            via=Channel.STAFF,
            public_note="Done, thank you.",
        )
    # then
    request.refresh_from_db()
    assert (request.status, request.resolution) == (Status.CLOSED, resolution)
    assert request.closed_at == closed_at
    assert request.updated_at == closed_at
    assert request.status_notes == "Done, thank you."
    assert not request.is_open


def test_closing_writes_one_public_history_entry():
    # given
    clerk = UserFactory(username="clerk")
    request = make_request()
    # when
    service_request_close(
        request=request,
        resolution=Resolution.COMPLETED,
        by=clerk,
        via=Channel.STAFF,
        public_note="Filled.",
    )
    # then
    closing = RequestUpdate.objects.filter(request=request).exclude(kind=UpdateKind.CREATED)
    assert [(u.kind, u.status, u.resolution, u.note, u.visibility, u.author) for u in closing] == [
        (
            UpdateKind.CLOSED,
            Status.CLOSED,
            Resolution.COMPLETED,
            "Filled.",
            Visibility.PUBLIC,
            clerk,
        )
    ]


@pytest.mark.parametrize("resolution", ["", "fixed", "COMPLETED"])
def test_closing_requires_a_resolution_the_city_knows(resolution):
    # given
    request = make_request()
    updates_before = RequestUpdate.objects.filter(request=request).count()
    # when
    with pytest.raises(DomainError) as refused:
        service_request_close(request=request, resolution=resolution, by=None, via=Channel.STAFF)
    # then
    assert refused.value.field == "resolution"
    request.refresh_from_db()
    assert (request.status, request.resolution, request.closed_at) == (Status.NEW, "", None)
    assert RequestUpdate.objects.filter(request=request).count() == updates_before


def test_a_closed_request_cannot_be_closed_again():
    # given
    request = make_request_in_status(Status.CLOSED)
    # when / then
    with pytest.raises(InvalidTransition):
        service_request_close(
            request=request, resolution=Resolution.CANCELLED, by=None, via=Channel.STAFF
        )
    request.refresh_from_db()
    assert request.resolution == Resolution.COMPLETED


def test_closing_without_a_note_keeps_the_published_note():
    # given
    request = service_request_change_status(
        request=make_request(), status=Status.IN_PROGRESS, by=None, via=Channel.STAFF, note="Soon."
    )
    # when
    service_request_close(
        request=request, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
    )
    # then
    request.refresh_from_db()
    assert request.status_notes == "Soon."
