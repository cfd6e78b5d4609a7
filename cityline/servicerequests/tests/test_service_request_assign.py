import pytest

from cityline.accounts.tests.factories import UserFactory
from cityline.core.errors import InvalidInput
from cityline.servicerequests.models import Channel, RequestUpdate, UpdateKind, Visibility
from cityline.servicerequests.services.lifecycle import service_request_assign
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_assigning_a_request_records_who_and_an_internal_history_entry():
    # given
    request = make_request()
    worker = UserFactory(username="dana", is_staff=True)
    supervisor = UserFactory(is_staff=True)
    # when
    service_request_assign(request=request, assignee=worker, by=supervisor, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert request.assignee == worker
    entry = RequestUpdate.objects.get(request=request, kind=UpdateKind.ASSIGNED)
    assert (entry.author, entry.visibility, entry.note) == (
        supervisor,
        Visibility.INTERNAL,
        "Assigned to dana",
    )


def test_unassigning_takes_the_request_back():
    # given
    request = make_request()
    worker = UserFactory(is_staff=True)
    service_request_assign(request=request, assignee=worker, by=None, via=Channel.STAFF)
    # when
    service_request_assign(request=request, assignee=None, by=None, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert request.assignee is None
    assert RequestUpdate.objects.filter(request=request, note="Unassigned").exists()


@pytest.mark.parametrize("who", [{"is_staff": False}, {"is_staff": True, "is_active": False}])
def test_only_active_staff_can_be_assigned(who):
    # given
    request = make_request()
    # when
    with pytest.raises(InvalidInput) as refused:
        service_request_assign(
            request=request, assignee=UserFactory(**who), by=None, via=Channel.STAFF
        )
    # then
    assert refused.value.field == "assignee"
    request.refresh_from_db()
    assert request.assignee is None
