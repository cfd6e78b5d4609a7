import pytest

from cityline.accounts.tests.factories import UserFactory
from cityline.core.errors import DomainError, InvalidTransition
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    UpdateKind,
)
from cityline.servicerequests.services.lifecycle import (
    service_request_mark_duplicate,
)
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db


def test_a_duplicate_is_linked_to_its_parent_and_closed_as_a_duplicate():
    # given
    clerk = UserFactory(username="clerk")
    original = make_request()
    repeat = make_request()
    # when
    service_request_mark_duplicate(request=repeat, parent=original, by=clerk, via=Channel.PHONE)
    # then
    repeat.refresh_from_db()
    assert repeat.parent == original
    assert (repeat.status, repeat.resolution) == (Status.CLOSED, Resolution.DUPLICATE)
    assert repeat.closed_at is not None
    assert repeat.status_notes == f"This is a duplicate of {original.tracking_number}."
    history = RequestUpdate.objects.filter(request=repeat).order_by("id")
    assert [(u.kind, u.author) for u in history] == [
        (UpdateKind.CREATED, None),
        (UpdateKind.MARKED_DUPLICATE, clerk),
        (UpdateKind.CLOSED, clerk),
    ]
    assert history[1].note == f"Duplicate of {original.tracking_number}"
    original.refresh_from_db()
    assert original.status == Status.NEW


def test_a_duplicate_of_a_duplicate_is_linked_to_the_root():
    # given
    root = make_request()
    first_repeat = make_request()
    service_request_mark_duplicate(request=first_repeat, parent=root, by=None, via=Channel.STAFF)
    second_repeat = make_request()
    # when
    service_request_mark_duplicate(
        request=second_repeat, parent=first_repeat, by=None, via=Channel.STAFF
    )
    # then
    second_repeat.refresh_from_db()
    assert second_repeat.parent == root
    assert second_repeat.status_notes == f"This is a duplicate of {root.tracking_number}."


def test_a_parent_read_before_it_became_a_duplicate_still_leads_to_the_root():
    # given: a copy of the parent loaded before someone else marked it a duplicate
    root = make_request()
    parent = make_request()
    stale_parent = ServiceRequest.objects.get(pk=parent.pk)
    service_request_mark_duplicate(request=parent, parent=root, by=None, via=Channel.STAFF)
    repeat = make_request()
    # when
    service_request_mark_duplicate(request=repeat, parent=stale_parent, by=None, via=Channel.STAFF)
    # then
    repeat.refresh_from_db()
    assert repeat.parent == root


def test_the_duplicates_of_a_request_follow_it_to_the_new_root():
    # given: `middle` already has a duplicate of its own
    root = make_request()
    middle = make_request()
    leaf = make_request()
    service_request_mark_duplicate(request=leaf, parent=middle, by=None, via=Channel.STAFF)
    # when
    service_request_mark_duplicate(request=middle, parent=root, by=None, via=Channel.STAFF)
    # then: no chain leaf → middle → root
    assert set(root.duplicates.values_list("pk", flat=True)) == {middle.pk, leaf.pk}
    assert not ServiceRequest.objects.filter(parent__parent__isnull=False).exists()


def test_a_request_cannot_be_a_duplicate_of_itself():
    # given
    request = make_request()
    # when / then
    with pytest.raises(DomainError) as refused:
        service_request_mark_duplicate(request=request, parent=request, by=None, via=Channel.STAFF)
    assert refused.value.field == "parent"
    request.refresh_from_db()
    assert (request.status, request.parent_id) == (Status.NEW, None)


def test_a_request_cannot_be_a_duplicate_of_its_own_duplicate():
    # given
    request = make_request()
    repeat = make_request()
    service_request_mark_duplicate(request=repeat, parent=request, by=None, via=Channel.STAFF)
    # when / then
    with pytest.raises(DomainError):
        service_request_mark_duplicate(request=request, parent=repeat, by=None, via=Channel.STAFF)
    request.refresh_from_db()
    assert (request.status, request.parent_id) == (Status.NEW, None)


def test_a_closed_request_cannot_be_marked_a_duplicate():
    # given
    original = make_request()
    closed = make_request_in_status(Status.CLOSED)
    # when / then
    with pytest.raises(InvalidTransition):
        service_request_mark_duplicate(request=closed, parent=original, by=None, via=Channel.STAFF)
    closed.refresh_from_db()
    assert (closed.resolution, closed.parent_id) == (Resolution.COMPLETED, None)
    assert not RequestUpdate.objects.filter(kind=UpdateKind.MARKED_DUPLICATE).exists()
