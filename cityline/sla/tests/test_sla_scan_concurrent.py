"""Two scans at once escalate nothing twice: the unique key on (request, stage, level) decides,
and the scan that loses it skips the request, with no notice or e-mail of its own."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.models import OutboxMessage
from cityline.servicerequests.models import Channel
from cityline.servicerequests.services.lifecycle import service_request_assign
from cityline.servicerequests.tests.factories import make_request
from cityline.sla import escalation
from cityline.sla.escalation import sla_scan
from cityline.sla.models import SlaEscalation, SlaNotice, SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)
REQUESTS = 12
LATER = T0 + timedelta(hours=80)  # the resolution at risk, the acknowledgement long overdue


def at_risk_requests():
    service_type = ServiceTypeFactory(
        sla_policy=SlaPolicyFactory(amount=100, unit=SlaUnit.HOURS, acknowledge_hours=10)
    )
    worker = UserFactory(is_staff=True)
    with time_machine.travel(T0, tick=False):
        for _ in range(REQUESTS):
            request = make_request(service_type=service_type)
            service_request_assign(request=request, assignee=worker, by=None, via=Channel.STAFF)


def assert_each_escalated_once(results, *, skipped: int):
    escalations = SlaEscalation.objects.count()
    # Acknowledgement: all three levels; resolution: at risk.
    assert escalations == REQUESTS * 4
    assert sum(r.escalated for r in results) == escalations
    assert sum(r.skipped for r in results) == skipped
    # A notice and an e-mail to the assignee per stage at risk, none from the losing scan (no
    # supervisors are named here).
    assert SlaNotice.objects.count() == REQUESTS * 2
    assert OutboxMessage.objects.filter(topic="sla.escalated").count() == REQUESTS * 2


@pytest.mark.django_db
def test_a_scan_that_finds_its_requests_escalated_meanwhile_skips_them(monkeypatch):
    # given: a scan that read its requests, and another scan that escalates them all meanwhile
    at_risk_requests()
    results = []
    read_batches = escalation._batches

    def interleaved(requests):
        batches = list(read_batches(requests))
        if not results:
            results.append(None)  # the inner scan reads and writes before the outer one writes
            monkeypatch.setattr(escalation, "_batches", read_batches)
            results.append(sla_scan(now=LATER))
            monkeypatch.setattr(escalation, "_batches", interleaved)
        return iter(batches)

    monkeypatch.setattr(escalation, "_batches", interleaved)
    # when
    outer = sla_scan(now=LATER)
    # then: the outer scan lost the level it had read; it read the other levels afterwards
    assert outer.escalated == 0
    assert_each_escalated_once([outer, results[1]], skipped=REQUESTS)


@pytest.mark.django_db(transaction=True)
def test_two_scans_in_two_threads_escalate_nothing_twice(monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite lets one transaction write at a time (BEGIN IMMEDIATE): the second scan's "
            "inserts run after the first committed, which the interleaved test covers"
        )
    # given: both scans read their requests before either writes
    at_risk_requests()
    both_read = threading.Barrier(2, timeout=60)
    read_batches = escalation._batches

    def read_then_wait(requests):
        batches = list(read_batches(requests))
        both_read.wait()
        return iter(batches)

    monkeypatch.setattr(escalation, "_batches", read_then_wait)
    results, errors = [], []

    def scan():
        try:
            results.append(sla_scan(now=LATER))
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then
    assert errors == []
    assert len(results) == 2
    assert_each_escalated_once(results, skipped=REQUESTS * 4)
