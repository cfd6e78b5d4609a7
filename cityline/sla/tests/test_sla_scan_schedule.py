import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.management.commands import sla_scan as command
from cityline.sla.models import SlaEscalation, SlaUnit
from cityline.sla.tasks import sla_scan_task
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)


def test_the_task_runs_a_scan_and_returns_how_many_it_escalated():
    # given
    with time_machine.travel(T0, tick=False):
        make_request(
            service_type=ServiceTypeFactory.create(
                sla_policy=SlaPolicyFactory(amount=10, unit=SlaUnit.HOURS)
            )
        )
    # when
    with time_machine.travel(T0 + timedelta(hours=8), tick=False):
        escalated = sla_scan_task.call()
    # then
    assert escalated == 1
    assert SlaEscalation.objects.get().level == 1


def test_the_schedule_hands_a_scan_to_the_task_worker_each_interval_until_stopped(
    monkeypatch, settings
):
    # given: a task worker that stops the schedule once it has two scans
    settings.CITYLINE_SLA_SCAN_MINUTES = 0
    stop = threading.Event()
    enqueued = []

    class RecordingTask:
        def enqueue(self) -> None:
            enqueued.append("scan")
            if len(enqueued) == 2:
                stop.set()

    monkeypatch.setattr(command, "sla_scan_task", RecordingTask())
    # when
    command.Command()._schedule(stop)
    # then
    assert enqueued == ["scan", "scan"]
