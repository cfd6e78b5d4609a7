"""The due times a request's frozen targets and history imply: pure rules, then the property that
what the lifecycle stores is always what the history implies."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel, RequestUpdate, Resolution, Status
from cityline.servicerequests.services.lifecycle import (
    ALLOWED_TRANSITIONS,
    service_request_add_note,
    service_request_change_status,
    service_request_close,
    service_request_reopen,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import LateCloseReason, SlaUnit
from cityline.sla.rules import STATUS_MOVES, paused_time, sla_due_times_from_history
from cityline.sla.tests.factories import SlaPolicyFactory

T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)


@dataclass
class Entry:
    kind: str
    status: str
    occurred_at: datetime


@dataclass
class Frozen:
    acknowledge_due_at: datetime | None
    resolve_target_at: datetime | None
    expected_at: datetime | None


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def test_time_spent_waiting_pushes_the_resolution_back_and_not_the_acknowledgement():
    # given
    request = Frozen(acknowledge_due_at=hours(4), resolve_target_at=hours(72), expected_at=None)
    history = [
        Entry("created", "new", hours(0)),
        Entry("status_changed", "waiting_on_requester", hours(1)),
        Entry("note", "waiting_on_requester", hours(2)),
        Entry("status_changed", "waiting_on_third_party", hours(3)),
        Entry("status_changed", "in_progress", hours(11)),
    ]
    # when
    due = sla_due_times_from_history(request, history)
    # then
    assert due.expected_at == hours(82)
    assert due.acknowledge_due_at == hours(4)


def test_a_pause_still_going_on_pushes_nothing_yet():
    # given
    history = [
        Entry("created", "new", hours(0)),
        Entry("status_changed", "waiting_on_requester", hours(1)),
    ]
    # when / then
    assert paused_time(history) == timedelta()


def test_closing_or_a_backdated_public_update_are_read_by_their_kind():
    # given: a public update dated back into the pause carries the status of when it was written
    history = [
        Entry("created", "new", hours(0)),
        Entry("status_changed", "waiting_on_requester", hours(5)),
        Entry("citizen_update", "waiting_on_requester", hours(1)),
        Entry("closed", "closed", hours(7)),
    ]
    # when / then
    assert paused_time(history) == timedelta(hours=2)


def test_without_a_frozen_target_the_stored_due_time_is_the_sources():
    # given: an imported request carries its source's due time
    request = Frozen(acknowledge_due_at=None, resolve_target_at=None, expected_at=hours(9))
    history = [
        Entry("status_changed", "waiting_on_requester", hours(1)),
        Entry("status_changed", "in_progress", hours(3)),
    ]
    # when / then
    assert sla_due_times_from_history(request, history).expected_at == hours(9)


waiting = st.sampled_from(["waiting_on_requester", "waiting_on_third_party"])
running = st.sampled_from(["new", "acknowledged", "in_progress", "closed"])


@settings(database=None, deadline=None, max_examples=200)
@given(
    steps=st.lists(
        st.tuples(st.one_of(waiting, running), st.integers(min_value=0, max_value=10_000)),
        max_size=30,
    )
)
def test_the_pushed_time_is_the_sum_of_the_ended_waits(steps):
    # given: any history, entries a number of minutes apart
    history, at, expected_pause = [], T0, timedelta()
    waiting_from = None
    for status, minutes in steps:
        at += timedelta(minutes=minutes)
        history.append(Entry("status_changed", status, at))
        if status.startswith("waiting") and waiting_from is None:
            waiting_from = at
        elif not status.startswith("waiting") and waiting_from is not None:
            expected_pause += at - waiting_from
            waiting_from = None
    request = Frozen(acknowledge_due_at=None, resolve_target_at=hours(72), expected_at=None)
    # when
    due = sla_due_times_from_history(request, history)
    # then
    assert due.expected_at == hours(72) + expected_pause
    assert due.expected_at >= hours(72)


# A step of a generated request's life: a move to a status (or a note, a close, a reopen), taken
# some minutes after the one before.
MOVES = [*Status.values, "note", "reopen"]


class TestStoredDueTimesEqualTheHistorys(TestCase):
    """Whatever the lifecycle does to a request, the due times it stores are the ones
    `sla_due_times_from_history` derives from the history alone."""

    @settings(
        deadline=None,
        max_examples=40,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        steps=st.lists(
            st.tuples(st.sampled_from(MOVES), st.integers(min_value=1, max_value=6000)),
            max_size=12,
        )
    )
    def test_stored_due_times_equal_the_ones_derived_from_history(self, steps):
        # given
        service_type = ServiceTypeFactory(
            sla_policy=SlaPolicyFactory(amount=2, unit=SlaUnit.CALENDAR_DAYS, acknowledge_hours=4)
        )
        with time_machine.travel(T0, tick=False) as traveller:
            request = make_request(service_type=service_type)
            reason = LateCloseReason.objects.create(agency=request.agency, name="Weather")
            # when
            for move, minutes in steps:
                traveller.shift(timedelta(minutes=minutes))
                request.refresh_from_db()
                _apply(request, move, reason)
        # then
        request.refresh_from_db()
        history = RequestUpdate.objects.filter(request=request, kind__in=STATUS_MOVES)
        due = sla_due_times_from_history(request, history)
        assert (request.acknowledge_due_at, request.expected_at) == (
            due.acknowledge_due_at,
            due.expected_at,
        )


def _apply(request, move: str, reason: LateCloseReason) -> None:
    """Take the move when the lifecycle allows it from where the request is; skip it otherwise."""
    if move == "note":
        service_request_add_note(
            request=request, note="Seen.", by=None, via=Channel.STAFF, visibility="internal"
        )
    elif move == "reopen":
        if request.status == Status.CLOSED:
            service_request_reopen(request=request, by=None, via=Channel.STAFF)
    elif move == Status.CLOSED:
        if request.status != Status.CLOSED:
            service_request_close(
                request=request,
                resolution=Resolution.COMPLETED,
                by=None,
                via=Channel.STAFF,
                late_close_reason=reason,
            )
    elif move in ALLOWED_TRANSITIONS[request.status]:
        service_request_change_status(request=request, status=move, by=None, via=Channel.STAFF)


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
