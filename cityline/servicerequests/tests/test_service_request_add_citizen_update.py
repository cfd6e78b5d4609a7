from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.accounts.services import api_key_create
from cityline.servicerequests.models import (
    Channel,
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


def test_a_citizen_update_keeps_the_time_the_citizen_gave():
    # given
    request = make_request_in_status(Status.NEW)
    written_at = datetime(2026, 4, 1, 18, 45, tzinfo=CHICAGO)
    # when
    service_request_add_citizen_update(
        request=request,
        note="Still there.",
        media_url="",
        via=Channel.OPEN311,
        api_key=None,
        at=written_at,
    )
    # then
    update = RequestUpdate.objects.filter(request=request).latest("id")
    assert update.occurred_at == written_at
