from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.accounts.services import api_key_create
from cityline.core.errors import InvalidInput
from cityline.core.models import OutboxMessage
from cityline.servicerequests.models import (
    Channel,
    CitizenStatus,
    RequestUpdate,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.lifecycle import service_request_add_citizen_update
from cityline.servicerequests.tests.factories import make_request_in_status

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def test_a_citizen_update_is_a_public_entry_that_leaves_the_status_alone():
    # given
    client, _ = api_key_create(name="FixMyStreet")
    request = make_request_in_status(Status.IN_PROGRESS)
    request.refresh_from_db()
    published = request.status_notes
    now = datetime(2026, 4, 2, 12, 0, tzinfo=CHICAGO)
    # when
    with time_machine.travel(now, tick=False):
        service_request_add_citizen_update(
            request=request,
            note="It got bigger after the rain.",
            media_url="https://example.org/bigger.jpg",
            via=Channel.OPEN311,
            api_key=client,
        )
    # then
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    assert request.status_notes == published
    assert request.updated_at == now
    update = RequestUpdate.objects.filter(request=request).latest("id")
    assert (
        update.kind,
        update.visibility,
        update.note,
        update.media_url,
        update.api_key,
        update.author,
        update.via,
        update.occurred_at,
    ) == (
        UpdateKind.CITIZEN_UPDATE,
        Visibility.PUBLIC,
        "It got bigger after the rain.",
        "https://example.org/bigger.jpg",
        client,
        None,
        Channel.OPEN311,
        now,
    )


def test_a_citizen_update_keeps_the_time_and_the_status_the_citizen_gave():
    # given
    with time_machine.travel(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO), tick=False):
        request = make_request_in_status(Status.NEW)
    written_at = datetime(2026, 4, 1, 18, 45, tzinfo=CHICAGO)
    # when
    with time_machine.travel(datetime(2026, 4, 2, 9, 0, tzinfo=CHICAGO), tick=False):
        service_request_add_citizen_update(
            request=request,
            note="Still there.",
            media_url="",
            via=Channel.OPEN311,
            api_key=None,
            at=written_at,
            citizen_status=CitizenStatus.FIXED,
        )
    # then
    update = RequestUpdate.objects.filter(request=request).latest("id")
    assert (update.occurred_at, update.citizen_status) == (written_at, CitizenStatus.FIXED)
    request.refresh_from_db()
    assert request.status == Status.NEW


@pytest.mark.parametrize(
    ("written_at", "refusal"),
    [
        (datetime(2026, 4, 1, 8, 59, tzinfo=CHICAGO), "before its request was made"),
        (datetime(1, 1, 1, tzinfo=UTC), "before its request was made"),
        (datetime(2026, 4, 2, 9, 16, tzinfo=CHICAGO), "in the future"),
    ],
)
def test_a_citizen_update_dated_outside_its_requests_life_is_refused(written_at, refusal):
    # given
    with time_machine.travel(datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO), tick=False):
        request = make_request_in_status(Status.NEW)
    before = RequestUpdate.objects.count(), OutboxMessage.objects.count()
    # when
    with (
        time_machine.travel(datetime(2026, 4, 2, 9, 0, tzinfo=CHICAGO), tick=False),
        pytest.raises(InvalidInput) as refused,
    ):
        service_request_add_citizen_update(
            request=request,
            note="Still there.",
            media_url="",
            via=Channel.OPEN311,
            api_key=None,
            at=written_at,
        )
    # then
    assert refusal in refused.value.message
    assert refused.value.field == "occurred_at"
    assert (RequestUpdate.objects.count(), OutboxMessage.objects.count()) == before
