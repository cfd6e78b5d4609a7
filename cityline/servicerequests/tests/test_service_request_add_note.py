import pytest

from cityline.accounts.tests.factories import UserFactory
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.lifecycle import service_request_add_note
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_public_note_becomes_the_published_status_note():
    # given
    clerk = UserFactory(username="clerk")
    request = make_request()
    # when
    service_request_add_note(
        request=request,
        note="A crew is scheduled for Tuesday.",
        by=clerk,
        via=Channel.STAFF,
        visibility=Visibility.PUBLIC,
        media_url="https://example.org/photo.jpg",
    )
    # then
    request.refresh_from_db()
    assert request.status == Status.NEW
    assert request.status_notes == "A crew is scheduled for Tuesday."
    notes = RequestUpdate.objects.filter(request=request, kind=UpdateKind.NOTE)
    assert [(u.visibility, u.note, u.media_url, u.author, u.status) for u in notes] == [
        (
            Visibility.PUBLIC,
            "A crew is scheduled for Tuesday.",
            "https://example.org/photo.jpg",
            clerk,
            Status.NEW,
        )
    ]


def test_an_internal_note_is_kept_in_the_history_only():
    # given
    clerk = UserFactory(username="clerk")
    request = make_request()
    service_request_add_note(
        request=request,
        note="Seen from the street.",
        by=clerk,
        via=Channel.STAFF,
        visibility=Visibility.PUBLIC,
    )
    # when
    service_request_add_note(
        request=request,
        note="Resident is difficult; call before visiting.",
        by=clerk,
        via=Channel.STAFF,
        visibility=Visibility.INTERNAL,
    )
    # then
    request.refresh_from_db()
    assert request.status_notes == "Seen from the street."
    latest = RequestUpdate.objects.filter(request=request).latest("id")
    assert (latest.kind, latest.visibility, latest.note) == (
        UpdateKind.NOTE,
        Visibility.INTERNAL,
        "Resident is difficult; call before visiting.",
    )
    assert RequestUpdate.objects.filter(request=request, kind=UpdateKind.NOTE).count() == 2
