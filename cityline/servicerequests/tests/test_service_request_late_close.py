from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.errors import InvalidInput
from cityline.servicerequests.models import Channel, RequestUpdate, Resolution, Status
from cityline.servicerequests.services.lifecycle import (
    service_request_change_status,
    service_request_close,
    service_request_mark_duplicate,
    service_request_reopen,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import LateCloseReasonFactory, SlaPolicyFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)


def one_day_request():
    with time_machine.travel(T0, tick=False):
        return make_request(
            service_type=ServiceTypeFactory(
                sla_policy=SlaPolicyFactory(amount=1, unit=SlaUnit.CALENDAR_DAYS)
            )
        )


def close_at(moment, request, **kwargs):
    with time_machine.travel(moment, tick=False):
        return service_request_close(
            request=request, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF, **kwargs
        )


def test_a_late_close_without_a_reason_is_refused_naming_the_field_and_nothing_changes():
    # given
    request = one_day_request()
    updates_before = RequestUpdate.objects.filter(request=request).count()
    # when
    with pytest.raises(InvalidInput) as refused:
        close_at(T0 + timedelta(days=2), request)
    # then
    assert refused.value.field == "late_close_reason"
    request.refresh_from_db()
    assert request.status == Status.NEW
    assert RequestUpdate.objects.filter(request=request).count() == updates_before


def test_a_late_close_records_the_agencys_reason():
    # given
    request = one_day_request()
    reason = LateCloseReasonFactory(agency=request.agency, name="Parts on order")
    # when
    close_at(T0 + timedelta(days=2), request, late_close_reason=reason)
    # then
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert request.late_close_reason == reason


def test_a_close_on_time_needs_no_reason():
    # given
    request = one_day_request()
    # when
    close_at(T0 + timedelta(hours=23), request)
    # then
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert request.late_close_reason is None


def test_time_spent_waiting_is_not_late():
    # given: the request waited 30 hours on its requester
    request = one_day_request()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False) as traveller:
        service_request_change_status(
            request=request, status=Status.WAITING_ON_REQUESTER, by=None, via=Channel.STAFF
        )
        traveller.move_to(T0 + timedelta(hours=31))
    # when: closed from the waiting state 31 hours after it was made
    close_at(T0 + timedelta(hours=31), request)
    # then
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert request.expected_at == T0 + timedelta(hours=54)


@pytest.mark.parametrize("which", ["other agency", "retired"])
def test_a_reason_of_another_agency_or_retired_is_refused(which):
    # given
    request = one_day_request()
    reason = (
        LateCloseReasonFactory()
        if which == "other agency"
        else LateCloseReasonFactory(agency=request.agency, is_active=False)
    )
    # when
    with pytest.raises(InvalidInput) as refused:
        close_at(T0 + timedelta(days=2), request, late_close_reason=reason)
    # then
    assert refused.value.field == "late_close_reason"
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_a_late_duplicate_needs_no_reason():
    # given
    parent = one_day_request()
    request = one_day_request()
    # when
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        service_request_mark_duplicate(request=request, parent=parent, by=None, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert request.resolution == Resolution.DUPLICATE


def test_reopening_clears_the_late_close_reason():
    # given
    request = one_day_request()
    reason = LateCloseReasonFactory(agency=request.agency)
    close_at(T0 + timedelta(days=2), request, late_close_reason=reason)
    # when
    service_request_reopen(request=request, by=None, via=Channel.STAFF)
    # then
    request.refresh_from_db()
    assert request.late_close_reason is None
