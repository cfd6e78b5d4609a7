"""The SLA scan: each level of each stage reached once, with its notices and e-mails."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_sweep
from cityline.servicerequests.models import Channel, Resolution, Status
from cityline.servicerequests.services.lifecycle import (
    service_request_assign,
    service_request_change_status,
    service_request_close,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.escalation import sla_scan
from cityline.sla.models import EscalationLevel, SlaEscalation, SlaNotice, SlaStage, SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)
AT_RISK, BREACHED, OVERDUE = EscalationLevel


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


@pytest.fixture
def people():
    """An assignee, two supervisors of the request's agency, one of another, a 311 supervisor."""
    service_type = ServiceTypeFactory(
        sla_policy=SlaPolicyFactory(amount=100, unit=SlaUnit.HOURS, acknowledge_hours=10)
    )
    other_type = ServiceTypeFactory()
    staff = {
        name: UserFactory(username=name, is_staff=True)
        for name in ["worker", "boss", "deputy", "elsewhere", "city"]
    }
    for name in ["boss", "deputy"]:
        role_grant(
            user=staff[name],
            role=Role.AGENCY_SUPERVISOR,
            agency=service_type.agency,
            by=None,
        )
    role_grant(
        user=staff["elsewhere"], role=Role.AGENCY_SUPERVISOR, agency=other_type.agency, by=None
    )
    role_grant(user=staff["city"], role=Role.SUPERVISOR_311, by=None)
    return service_type, staff


def new_request(service_type, assignee=None):
    with time_machine.travel(T0, tick=False):
        request = make_request(service_type=service_type)
        if assignee is not None:
            service_request_assign(request=request, assignee=assignee, by=None, via=Channel.STAFF)
    return request


def acknowledge(request):
    with time_machine.travel(hours(1), tick=False):
        return service_request_change_status(
            request=request, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
        )


def levels(request, stage=SlaStage.RESOLVE) -> list[int]:
    found = SlaEscalation.objects.filter(request=request, stage=stage)
    return sorted(found.values_list("level", flat=True))


def notified(level, stage=SlaStage.RESOLVE) -> set[str]:
    notices = SlaNotice.objects.filter(escalation__level=level, escalation__stage=stage)
    return set(notices.values_list("user__username", flat=True))


def test_nothing_is_escalated_before_the_share_at_risk_is_used(people):
    # given
    service_type, staff = people
    request = acknowledge(new_request(service_type, assignee=staff["worker"]))
    # when: 74 of 100 hours used
    sla_scan(now=hours(74))
    # then
    assert levels(request) == []


def test_at_risk_tells_the_assignee_on_the_console_and_by_email(people):
    # given
    service_type, staff = people
    request = acknowledge(new_request(service_type, assignee=staff["worker"]))
    # when: 75 of 100 hours used
    result = sla_scan(now=hours(75))
    outbox_sweep()
    # then
    assert result.escalated == 1
    assert levels(request) == [AT_RISK]
    assert notified(AT_RISK) == {"worker"}
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    assert request.tracking_number in mail.outbox[0].subject
    assert "at risk" in mail.outbox[0].body


def test_an_unassigned_request_at_risk_is_marked_with_no_one_to_tell(people):
    # given
    service_type, _ = people
    request = acknowledge(new_request(service_type))
    # when
    sla_scan(now=hours(80))
    # then
    assert levels(request) == [AT_RISK]
    assert not SlaNotice.objects.exists()
    assert not OutboxMessage.objects.filter(topic="sla.escalated").exists()


def test_a_breach_tells_the_agencys_supervisors_then_long_overdue_the_311_supervisors(people):
    # given
    service_type, staff = people
    request = acknowledge(new_request(service_type, assignee=staff["worker"]))
    sla_scan(now=hours(80))
    # when
    sla_scan(now=hours(100))
    sla_scan(now=hours(149))
    # then
    assert levels(request) == [AT_RISK, BREACHED]
    assert notified(BREACHED) == {"boss", "deputy"}
    # when
    sla_scan(now=hours(150))
    # then
    assert levels(request) == [AT_RISK, BREACHED, OVERDUE]
    assert notified(OVERDUE) == {"city"}
    assert OutboxMessage.objects.filter(topic="sla.escalated").count() == 4


def test_each_level_is_reached_once_however_often_the_scan_runs(people):
    # given
    service_type, staff = people
    request = acknowledge(new_request(service_type, assignee=staff["worker"]))
    sla_scan(now=hours(200))
    # when
    again = sla_scan(now=hours(300))
    # then
    assert again.escalated == 0
    assert levels(request) == [AT_RISK, BREACHED, OVERDUE]
    assert SlaNotice.objects.count() == 4


def test_an_unacknowledged_request_escalates_its_acknowledgement_stage(people):
    # given: 10 hours to acknowledge
    service_type, staff = people
    request = new_request(service_type, assignee=staff["worker"])
    # when
    sla_scan(now=hours(10))
    # then
    assert levels(request, SlaStage.ACKNOWLEDGE) == [AT_RISK, BREACHED]
    assert notified(BREACHED, SlaStage.ACKNOWLEDGE) == {"boss", "deputy"}
    assert levels(request) == []


def test_acknowledged_in_time_the_acknowledgement_stage_never_escalates(people):
    # given
    service_type, _ = people
    request = acknowledge(new_request(service_type))
    # when
    sla_scan(now=hours(20))
    # then
    assert levels(request, SlaStage.ACKNOWLEDGE) == []


def test_a_waiting_request_is_left_alone_and_its_pause_counts_after(people):
    # given: the request waited 50 hours
    service_type, _ = people
    request = acknowledge(new_request(service_type))
    with time_machine.travel(hours(2), tick=False) as traveller:
        service_request_change_status(
            request=request, status=Status.WAITING_ON_THIRD_PARTY, by=None, via=Channel.STAFF
        )
        # when
        sla_scan(now=hours(120))
        # then
        assert levels(request) == []
        traveller.move_to(hours(52))
        service_request_change_status(
            request=request, status=Status.IN_PROGRESS, by=None, via=Channel.STAFF
        )
    # when: 74 of the 100 hours used, not counting the pause
    sla_scan(now=hours(124))
    # then
    assert levels(request) == []
    # when: 75 used
    sla_scan(now=hours(125))
    # then
    assert levels(request) == [AT_RISK]


def test_closed_requests_and_requests_without_a_target_are_not_scanned(people):
    # given
    service_type, _ = people
    no_target = new_request(ServiceTypeFactory(sla_policy=None))
    closed = new_request(service_type)
    with time_machine.travel(hours(1), tick=False):
        service_request_close(
            request=closed, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
        )
    # when
    sla_scan(now=hours(1000))
    # then
    assert levels(no_target) == []
    assert levels(closed) == levels(closed, SlaStage.ACKNOWLEDGE) == []


def test_the_command_scans_and_says_what_it_did(people, capsys):
    # given
    service_type, staff = people
    acknowledge(new_request(service_type, assignee=staff["worker"]))
    # when
    with time_machine.travel(hours(80), tick=False):
        call_command("sla_scan")
    # then
    assert "escalated 1, skipped 0" in capsys.readouterr().out
