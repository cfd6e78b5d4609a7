from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Resolution, Status
from cityline.servicerequests.tests.factories import make_request
from cityline.servicerequests.tests.test_admin import _act, _messages
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import LateCloseReasonFactory, SlaPolicyFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def overdue():
    with time_machine.travel(T0, tick=False):
        return make_request(
            service_type=ServiceTypeFactory(
                sla_policy=SlaPolicyFactory(amount=1, unit=SlaUnit.CALENDAR_DAYS)
            )
        )


def close_from_admin(admin_client, request, **fields):
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        return _act(
            admin_client,
            "close",
            request,
            apply="Close",
            resolution=Resolution.COMPLETED,
            **fields,
        )


def test_the_close_page_offers_the_agencies_late_close_reasons(admin_client, overdue):
    # given
    LateCloseReasonFactory(agency=overdue.agency, name="Parts on order")
    # when
    response = _act(admin_client, "close", overdue)
    # then
    assert 'name="late_close_reason"' in response.text
    assert "Parts on order" in response.text


def test_a_late_close_from_the_admin_without_a_reason_is_refused_for_that_request(
    admin_client, overdue
):
    # when
    response = close_from_admin(admin_client, overdue)
    # then
    assert response.status_code == 302
    assert any("reason for the late close" in message for message in _messages(response))
    overdue.refresh_from_db()
    assert overdue.status == Status.NEW


def test_a_late_close_from_the_admin_with_its_agencys_reason_is_recorded(admin_client, overdue):
    # given
    reason = LateCloseReasonFactory(agency=overdue.agency, name="Weather")
    # when
    close_from_admin(admin_client, overdue, late_close_reason=reason.pk)
    # then
    overdue.refresh_from_db()
    assert (overdue.status, overdue.late_close_reason) == (Status.CLOSED, reason)


def test_a_reason_that_is_no_choice_is_refused_by_the_form(admin_client, overdue):
    # given
    retired = LateCloseReasonFactory(agency=overdue.agency, is_active=False)
    # when
    response = close_from_admin(admin_client, overdue, late_close_reason=retired.pk)
    # then
    assert response.status_code == 400
    assert "late_close_reason" in response.text
    overdue.refresh_from_db()
    assert overdue.status == Status.NEW
