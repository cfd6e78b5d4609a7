from datetime import datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.errors import InvalidTransition
from cityline.core.models import OutboxMessage
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.lifecycle import (
    ALLOWED_TRANSITIONS,
    service_request_change_status,
    service_request_close,
)
from cityline.servicerequests.tests.factories import make_request, make_request_in_status
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")

NEW, ACKNOWLEDGED, IN_PROGRESS = Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS
ON_REQUESTER, ON_THIRD_PARTY = Status.WAITING_ON_REQUESTER, Status.WAITING_ON_THIRD_PARTY

# The lifecycle as staff know it. Closing is a service of its own (it needs a resolution), so no
# status change leads to `closed`, and nothing leads out of it but reopening.
ALLOWED = {
    (NEW, ACKNOWLEDGED),
    (NEW, IN_PROGRESS),
    (NEW, ON_REQUESTER),
    (NEW, ON_THIRD_PARTY),
    (ACKNOWLEDGED, IN_PROGRESS),
    (ACKNOWLEDGED, ON_REQUESTER),
    (ACKNOWLEDGED, ON_THIRD_PARTY),
    (IN_PROGRESS, ACKNOWLEDGED),
    (IN_PROGRESS, ON_REQUESTER),
    (IN_PROGRESS, ON_THIRD_PARTY),
    (ON_REQUESTER, IN_PROGRESS),
    (ON_REQUESTER, ON_THIRD_PARTY),
    (ON_THIRD_PARTY, IN_PROGRESS),
    (ON_THIRD_PARTY, ON_REQUESTER),
}
ALL_PAIRS = list(product(Status.values, Status.values))


@pytest.mark.parametrize(("before", "after"), sorted(ALLOWED))
def test_an_allowed_change_moves_the_request_and_records_it_once(before, after):
    # given
    clerk = UserFactory(username="clerk")
    request = make_request_in_status(before, by=clerk)
    updates_before = RequestUpdate.objects.filter(request=request).count()
    # when
    changed = service_request_change_status(
        request=request, status=after, by=clerk, via=Channel.PHONE, note="On it."
    )
    # then
    changed.refresh_from_db()
    assert changed.status == after
    assert changed.status_notes == "On it."
    history = list(RequestUpdate.objects.filter(request=request).order_by("id"))
    new_updates = history[updates_before:]
    assert [(u.kind, u.status, u.visibility, u.note, u.author, u.via) for u in new_updates] == [
        (UpdateKind.STATUS_CHANGED, after, Visibility.PUBLIC, "On it.", clerk, Channel.PHONE)
    ]


@pytest.mark.parametrize(("before", "after"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_a_change_the_lifecycle_does_not_allow_is_refused_and_leaves_no_trace(before, after):
    # given
    request = make_request_in_status(before)
    updates_before = RequestUpdate.objects.filter(request=request).count()
    messages_before = OutboxMessage.objects.count()
    # when
    with pytest.raises(InvalidTransition) as refused:
        service_request_change_status(request=request, status=after, by=None, via=Channel.STAFF)
    # then
    assert refused.value.field == "status"
    request.refresh_from_db()
    assert request.status == before
    assert RequestUpdate.objects.filter(request=request).count() == updates_before
    assert OutboxMessage.objects.count() == messages_before


def test_the_allowed_changes_are_exactly_the_lifecycles():
    # when
    table = {(before, after) for before, afters in ALLOWED_TRANSITIONS.items() for after in afters}
    # then
    assert table == ALLOWED
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


def test_an_unknown_status_is_refused_as_a_transition():
    # given
    request = make_request()
    # when / then
    with pytest.raises(InvalidTransition, match="'done'"):
        service_request_change_status(request=request, status="done", by=None, via=Channel.STAFF)
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_the_change_is_checked_against_the_stored_status_not_a_stale_copy():
    # given: two copies of one request; the first is used to close it
    request = make_request()
    stale = ServiceRequest.objects.get(pk=request.pk)
    service_request_close(request=request, resolution="completed", by=None, via=Channel.STAFF)
    # when / then
    with pytest.raises(InvalidTransition):
        service_request_change_status(
            request=stale, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
        )


def test_an_internal_note_is_recorded_but_not_published():
    # given
    request = service_request_change_status(
        request=make_request(),
        status=Status.ACKNOWLEDGED,
        by=None,
        via=Channel.STAFF,
        note="We will look at it this week.",
    )
    # when
    service_request_change_status(
        request=request,
        status=Status.IN_PROGRESS,
        by=None,
        via=Channel.STAFF,
        note="Crew 12 has the ticket.",
        visibility=Visibility.INTERNAL,
    )
    # then
    request.refresh_from_db()
    assert request.status_notes == "We will look at it this week."
    latest = RequestUpdate.objects.filter(request=request).latest("id")
    assert (latest.visibility, latest.note) == (Visibility.INTERNAL, "Crew 12 has the ticket.")


def test_a_change_without_a_note_keeps_the_published_note():
    # given
    request = service_request_change_status(
        request=make_request(), status=Status.ACKNOWLEDGED, by=None, via=Channel.STAFF, note="Seen."
    )
    # when
    service_request_change_status(
        request=request, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
    )
    # then
    request.refresh_from_db()
    assert request.status_notes == "Seen."


def three_day_service_type():
    return ServiceTypeFactory(sla_policy=SlaPolicyFactory(amount=3, unit=SlaUnit.CALENDAR_DAYS))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 4, day, hour, minute, tzinfo=CHICAGO)


def test_time_spent_waiting_on_the_requester_pushes_the_due_time_back():
    # given
    with time_machine.travel(at(1, 9), tick=False) as traveller:
        request = make_request(service_type=three_day_service_type())
        promised = request.expected_at
        traveller.move_to(at(1, 10))
        service_request_change_status(
            request=request, status=ON_REQUESTER, by=None, via=Channel.STAFF
        )
        # when: the requester answers a day and a half later
        traveller.move_to(at(2, 22))
        service_request_change_status(
            request=request, status=IN_PROGRESS, by=None, via=Channel.STAFF
        )
    # then
    request.refresh_from_db()
    assert promised == at(4, 9)
    assert request.expected_at == promised + timedelta(hours=36)
    assert request.waiting_since is None


def test_moving_between_waiting_states_keeps_the_clock_paused_from_the_first():
    # given
    with time_machine.travel(at(1, 9), tick=False) as traveller:
        request = make_request(service_type=three_day_service_type())
        promised = request.expected_at
        service_request_change_status(
            request=request, status=ON_REQUESTER, by=None, via=Channel.STAFF
        )
        traveller.move_to(at(1, 15))
        service_request_change_status(
            request=request, status=ON_THIRD_PARTY, by=None, via=Channel.STAFF
        )
        request.refresh_from_db()
        assert request.expected_at == promised
        assert request.waiting_since == at(1, 9)
        # when
        traveller.move_to(at(2, 9))
        service_request_change_status(
            request=request, status=IN_PROGRESS, by=None, via=Channel.STAFF
        )
    # then
    request.refresh_from_db()
    assert request.expected_at == promised + timedelta(days=1)


def test_closing_a_waiting_request_stops_the_pause_too():
    # given
    with time_machine.travel(at(1, 9), tick=False) as traveller:
        request = make_request(service_type=three_day_service_type())
        promised = request.expected_at
        service_request_change_status(
            request=request, status=ON_THIRD_PARTY, by=None, via=Channel.STAFF
        )
        # when
        traveller.move_to(at(1, 13))
        service_request_close(request=request, resolution="completed", by=None, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert request.expected_at == promised + timedelta(hours=4)
    assert request.waiting_since is None


def test_a_request_without_a_due_time_can_wait():
    # given
    with time_machine.travel(at(1, 9), tick=False) as traveller:
        request = make_request(service_type=ServiceTypeFactory(sla_policy=None))
        service_request_change_status(
            request=request, status=ON_REQUESTER, by=None, via=Channel.STAFF
        )
        # when
        traveller.move_to(at(3, 9))
        service_request_change_status(
            request=request, status=IN_PROGRESS, by=None, via=Channel.STAFF
        )
    # then
    request.refresh_from_db()
    assert request.expected_at is None
    assert request.waiting_since is None
