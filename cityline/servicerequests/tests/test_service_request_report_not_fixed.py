from datetime import timedelta

import pytest
import time_machine

from cityline.catalog.models import NotFixedAction
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core import clock
from cityline.core.errors import InvalidTransition
from cityline.servicerequests.models import (
    Attachment,
    CitizenStatus,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    UpdateKind,
)
from cityline.servicerequests.services.not_fixed import service_request_report_not_fixed
from cityline.servicerequests.services.photos import photo_prepare
from cityline.servicerequests.tests.factories import make_request, make_request_in_status
from cityline.servicerequests.tests.photos import jpeg_upload

pytestmark = pytest.mark.django_db


def _closed(action: str = NotFixedAction.REOPEN, window_days: int = 14) -> ServiceRequest:
    service_type = ServiceTypeFactory.create(
        not_fixed_action=action, not_fixed_window_days=window_days
    )
    return make_request_in_status(Status.CLOSED, service_type=service_type)


def test_reopening_keeps_the_first_due_time_and_records_the_residents_note():
    # given
    request = _closed(NotFixedAction.REOPEN)
    first_due = request.expected_at
    # when
    outcome = service_request_report_not_fixed(
        request=request, note="Still a hole", photo=photo_prepare(upload=jpeg_upload())
    )
    # then
    request.refresh_from_db()
    assert outcome.request.pk == request.pk
    assert request.status == Status.ACKNOWLEDGED
    assert request.expected_at == first_due
    resident = RequestUpdate.objects.get(request=request, kind=UpdateKind.CITIZEN_UPDATE)
    photo = Attachment.objects.get(request=request)
    assert photo.photo
    assert (resident.note, resident.media_url, resident.citizen_status) == (
        "Still a hole",
        photo.media_url,
        CitizenStatus.REOPEN,
    )
    assert RequestUpdate.objects.filter(request=request, kind=UpdateKind.REOPENED).exists()


def test_reopening_with_a_fresh_due_time_counts_it_from_now():
    # given
    with time_machine.travel("2026-03-02 15:00Z", tick=False):
        request = _closed(NotFixedAction.REOPEN_FRESH_SLA)
    # when
    with time_machine.travel("2026-03-10 15:00Z", tick=False):
        service_request_report_not_fixed(request=request, note="Still a hole")
        now = clock.now()
    # then
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED
    # The factory's policy: 3 calendar days.
    assert request.expected_at == now + timedelta(days=3)


def test_a_new_linked_request_takes_on_a_closed_one_at_its_place():
    # given
    request = _closed(NotFixedAction.NEW_LINKED)
    # when
    outcome = service_request_report_not_fixed(
        request=request,
        note="Came back after rain",
        photo=photo_prepare(upload=jpeg_upload()),
    )
    # then
    request.refresh_from_db()
    follow_up = outcome.request
    assert Attachment.objects.get(request=follow_up).photo
    assert not Attachment.objects.filter(request=request).exists()
    assert request.status == Status.CLOSED
    assert follow_up.pk != request.pk
    assert follow_up.follow_up_of_id == request.pk
    assert follow_up.service_type_id == request.service_type_id
    assert (follow_up.latitude, follow_up.longitude) == (request.latitude, request.longitude)
    assert follow_up.description == "Came back after rain"
    assert RequestUpdate.objects.filter(
        request=request, kind=UpdateKind.CITIZEN_UPDATE, note="Came back after rain"
    ).exists()


def test_after_the_window_the_report_is_refused_and_nothing_changes():
    # given
    with time_machine.travel("2026-03-02 15:00Z", tick=False):
        request = _closed(window_days=7)
    # when
    with time_machine.travel("2026-03-09 15:01Z", tick=False), pytest.raises(InvalidTransition):
        service_request_report_not_fixed(request=request, note="Still a hole")
    # then
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert not RequestUpdate.objects.filter(kind=UpdateKind.CITIZEN_UPDATE).exists()


def test_on_the_windows_last_moment_the_report_is_taken():
    # given
    with time_machine.travel("2026-03-02 15:00Z", tick=False):
        request = _closed(window_days=7)
    # when
    with time_machine.travel("2026-03-09 15:00Z", tick=False):
        service_request_report_not_fixed(request=request, note="Still a hole")
    # then
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED


def test_a_type_without_a_window_takes_no_reports():
    # given
    request = _closed(window_days=0)
    # when / then
    with pytest.raises(InvalidTransition):
        service_request_report_not_fixed(request=request, note="Still a hole")


def test_an_open_request_cannot_be_reported_not_fixed():
    # given
    request = make_request()
    # when / then
    with pytest.raises(InvalidTransition):
        service_request_report_not_fixed(request=request, note="Still a hole")


def test_a_duplicate_cannot_be_reported_not_fixed():
    # given
    request = make_request()
    request.status, request.resolution, request.closed_at = (
        Status.CLOSED,
        Resolution.DUPLICATE,
        clock.now(),
    )
    request.save()
    # when / then
    with pytest.raises(InvalidTransition):
        service_request_report_not_fixed(request=request, note="Still a hole")
