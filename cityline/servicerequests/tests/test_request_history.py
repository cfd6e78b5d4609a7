import pytest

from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Resolution,
    Status,
    Visibility,
)
from cityline.servicerequests.services.lifecycle import (
    service_request_add_citizen_update,
    service_request_add_note,
    service_request_change_status,
    service_request_close,
    service_request_reopen,
)
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def snapshot(request) -> list[tuple]:
    return list(
        RequestUpdate.objects.filter(request=request)
        .order_by("id")
        .values_list("id", "kind", "status", "resolution", "note", "visibility", "occurred_at")
    )


def test_every_service_appends_one_entry_and_never_alters_the_earlier_ones():
    # given
    request = make_request()
    steps = [
        lambda: service_request_change_status(
            request=request, status=Status.ACKNOWLEDGED, by=None, via=Channel.STAFF, note="Seen."
        ),
        lambda: service_request_add_note(
            request=request,
            note="Crew 4.",
            by=None,
            via=Channel.STAFF,
            visibility=Visibility.INTERNAL,
        ),
        lambda: service_request_add_citizen_update(
            request=request, note="Still there.", media_url="", via=Channel.OPEN311, api_key=None
        ),
        lambda: service_request_change_status(
            request=request, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
        ),
        lambda: service_request_close(
            request=request, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
        ),
        lambda: service_request_reopen(request=request, by=None, via=Channel.STAFF),
    ]
    history = snapshot(request)
    for step in steps:
        # when
        step()
        # then
        after = snapshot(request)
        assert after[: len(history)] == history
        assert len(after) == len(history) + 1
        history = after
    assert [entry[1] for entry in history] == [
        "created",
        "status_changed",
        "note",
        "citizen_update",
        "status_changed",
        "closed",
        "reopened",
    ]
