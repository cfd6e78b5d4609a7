from datetime import timedelta

import pytest
import time_machine

from cityline.core import clock
from cityline.servicerequests.models import Channel, Status
from cityline.servicerequests.services.lifecycle import service_request_change_status

pytestmark = pytest.mark.django_db


def _page(client, user, request):
    client.force_login(user)
    return client.get(f"/console/requests/{request.tracking_number}/")


def test_the_page_shows_the_requests_summary_status_agency_and_due_time(client, desk):
    # given
    desk.request.expected_at = clock.now() + timedelta(days=2)
    desk.request.save(update_fields=["expected_at"])
    # when
    response = _page(client, desk.worker, desk.request)
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert desk.request.tracking_number in page
    assert "Pothole" in page
    assert "Transportation (DOT)" in page
    assert "100 N State St" in page
    assert response.context["page"].sla.due_at == desk.request.expected_at
    assert response.context["page"].sla.time_left > timedelta(days=1)


def test_another_agencys_worker_is_told_the_request_does_not_exist(client, desk):
    # when
    response = _page(client, desk.parks_worker, desk.request)
    # then
    assert response.status_code == 404


def test_the_clock_counts_the_pause_going_on_and_stands_still_while_waiting(client, desk):
    # given
    start = clock.now()
    with time_machine.travel(start, tick=False):
        service_request_change_status(
            request=desk.request,
            status=Status.WAITING_ON_THIRD_PARTY,
            by=desk.worker,
            via=Channel.STAFF,
        )
    desk.request.refresh_from_db()
    # when
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        clock_shown = _page(client, desk.worker, desk.request).context["page"].sla
    # then
    assert clock_shown.paused == timedelta(hours=5)
    assert clock_shown.time_left == desk.request.expected_at - start
