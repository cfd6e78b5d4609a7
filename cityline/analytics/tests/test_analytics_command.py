import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cityline.analytics.management.commands import analytics as command
from cityline.analytics.services import store_lease_take
from cityline.analytics.tasks import analytics_refresh_task
from cityline.analytics.tests.conftest import AS_OF, file_at
from cityline.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_refresh_full_writes_every_request_and_says_where(city, capsys):
    # when
    with time_machine.travel(AS_OF, tick=False):
        call_command("analytics", "refresh", "--full")
    # then
    out = capsys.readouterr().out
    assert (
        out
        == f"{ServiceRequest.objects.count()} requests written into 3 months (2025-03 to 2026-03)\n"
    )


def test_refresh_writes_only_the_changes_since_the_last_one(city, capsys):
    # given
    with time_machine.travel(AS_OF, tick=False):
        call_command("analytics", "refresh")
    file_at(AS_OF + timedelta(hours=1), city.potholes)
    capsys.readouterr()
    # when
    with time_machine.travel(AS_OF + timedelta(days=1), tick=False):
        call_command("analytics", "refresh")
    # then
    assert capsys.readouterr().out == "1 requests written into 1 months (2026-03 to 2026-03)\n"


def test_refresh_while_another_runs_fails_with_a_clear_error(city):
    # given
    store_lease_take(token=uuid.uuid4())
    # when / then
    with pytest.raises(CommandError, match="another refresh"):
        call_command("analytics", "refresh")


def test_the_task_refreshes_and_returns_how_many_requests_it_wrote(city):
    # when
    with time_machine.travel(AS_OF, tick=False):
        written = analytics_refresh_task.call()
    # then
    assert written == ServiceRequest.objects.count()


def test_the_task_leaves_the_store_to_a_refresh_under_way(city):
    # given
    store_lease_take(token=uuid.uuid4())
    # when
    written = analytics_refresh_task.call()
    # then
    assert written == 0


def test_the_schedule_hands_a_refresh_to_the_task_worker_each_interval_until_stopped(
    monkeypatch, settings
):
    # given: a task worker that stops the schedule once it has two refreshes
    settings.CITYLINE_ANALYTICS_REFRESH_MINUTES = 0
    stop = threading.Event()
    enqueued = []

    class RecordingTask:
        def enqueue(self) -> None:
            enqueued.append("refresh")
            if len(enqueued) == 2:
                stop.set()

    monkeypatch.setattr(command, "analytics_refresh_task", RecordingTask())
    # when
    command.Command()._schedule(stop)
    # then
    assert enqueued == ["refresh", "refresh"]


def test_the_spike_schedule_hands_a_check_to_the_task_worker_each_interval_until_stopped(
    monkeypatch, settings
):
    # given: a task worker that stops the schedule once it has two checks
    settings.CITYLINE_SPIKE_CHECK_MINUTES = 0
    stop = threading.Event()
    enqueued = []

    class RecordingTask:
        def enqueue(self) -> None:
            enqueued.append("check")
            if len(enqueued) == 2:
                stop.set()

    monkeypatch.setattr(command, "spikes_check_task", RecordingTask())
    # when
    command.Command()._spike_schedule(stop)
    # then
    assert enqueued == ["check", "check"]


def test_a_scheduled_full_refresh_is_refused():
    # when / then
    with pytest.raises(CommandError, match="--full"):
        call_command("analytics", "refresh", "--full", "--schedule")


def test_report_writes_a_months_csv_and_pdf_into_the_store(city, store_dir, capsys):
    # given
    with time_machine.travel(AS_OF, tick=False):
        call_command("analytics", "refresh", "--full")
    capsys.readouterr()
    # when
    call_command("analytics", "report", "2026-03")
    # then
    reports = store_dir / "reports"
    assert capsys.readouterr().out.split() == [
        str(reports / "charter-monthly-2026-03.csv"),
        str(reports / "charter-monthly-2026-03.pdf"),
    ]
    assert (
        "2026-03,citywide,,Streets,pothole" in (reports / "charter-monthly-2026-03.csv").read_text()
    )
    assert (reports / "charter-monthly-2026-03.pdf").read_bytes().startswith(b"%PDF")


def test_report_refuses_a_month_not_written_yyyy_mm(city):
    # when / then
    with pytest.raises(CommandError, match="month"):
        call_command("analytics", "report", "March")


def test_statpack_writes_one_agencys_pdf_or_every_agencys(city, store_dir, capsys):
    # given
    with time_machine.travel(AS_OF, tick=False):
        call_command("analytics", "refresh", "--full")
    capsys.readouterr()
    reports = store_dir / "reports"
    # when
    call_command("analytics", "statpack", "2026-03", "--agency", "DOT")
    one = capsys.readouterr().out.split()
    call_command("analytics", "statpack", "2026-03")
    every = capsys.readouterr().out.split()
    # then
    assert one == [str(reports / "statpack-DOT-2026-03.pdf")]
    assert sorted(every) == [
        str(reports / "statpack-DOT-2026-03.pdf"),
        str(reports / "statpack-STR-2026-03.pdf"),
    ]
    assert (reports / "statpack-STR-2026-03.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "field"), [(["March"], "month"), (["2026-03", "--agency", "NOPE"], "agency")]
)
def test_statpack_refuses_a_bad_month_or_an_unknown_agency_naming_it(city, arguments, field):
    # when / then
    with pytest.raises(CommandError, match=field):
        call_command("analytics", "statpack", *arguments)
