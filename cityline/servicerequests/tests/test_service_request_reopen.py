from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.accounts.tests.factories import UserFactory
from cityline.core.errors import InvalidTransition
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.lifecycle import service_request_reopen
from cityline.servicerequests.tests.factories import make_request_in_status

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def test_reopening_a_closed_request_clears_its_resolution_and_acknowledges_it():
    # given
    supervisor = UserFactory(username="supervisor")
    request = make_request_in_status(Status.CLOSED)
    reopened_at = datetime(2026, 5, 4, 8, 0, tzinfo=CHICAGO)
    # when
    with time_machine.travel(reopened_at, tick=False):
        service_request_reopen(
            request=request, by=supervisor, via=Channel.STAFF, note="The hole is back."
        )
    # then
    request.refresh_from_db()
    assert (request.status, request.resolution, request.closed_at) == (
        Status.ACKNOWLEDGED,
        "",
        None,
    )
    assert request.updated_at == reopened_at
    assert request.status_notes == "The hole is back."
    latest = RequestUpdate.objects.filter(request=request).latest("id")
    assert (latest.kind, latest.status, latest.visibility, latest.author, latest.note) == (
        UpdateKind.REOPENED,
        Status.ACKNOWLEDGED,
        Visibility.PUBLIC,
        supervisor,
        "The hole is back.",
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.CLOSED])
def test_only_a_closed_request_can_be_reopened(status):
    # given
    request = make_request_in_status(status)
    updates_before = RequestUpdate.objects.filter(request=request).count()
    # when
    with pytest.raises(InvalidTransition):
        service_request_reopen(request=request, by=None, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert request.status == status
    assert RequestUpdate.objects.filter(request=request).count() == updates_before
