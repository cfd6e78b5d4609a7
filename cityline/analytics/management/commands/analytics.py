import threading
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.analytics.reports import monthly_report_write
from cityline.analytics.services import StoreBusy, analytics_refresh
from cityline.analytics.spike_services import spikes_check
from cityline.analytics.statpack import stat_packs_write
from cityline.analytics.tasks import analytics_refresh_task, spikes_check_task
from cityline.core.errors import InvalidInput
from cityline.core.outbox import outbox_stop_on_signals


class Command(BaseCommand):
    help = "The analytics store (docs/analytics.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        refresh = actions.add_parser(
            "refresh",
            help="Write the requests changed since the last refresh into the store.",
        )
        refresh.add_argument(
            "--full", action="store_true", help="Rewrite the whole store from every request."
        )
        refresh.add_argument(
            "--schedule",
            action="store_true",
            help="Hand a refresh to the task worker every CITYLINE_ANALYTICS_REFRESH_MINUTES "
            "until stopped (SIGTERM or SIGINT); script/worker runs it so.",
        )
        report = actions.add_parser(
            "report",
            help="Write a month's Charter monthly report (CSV and PDF) into the store's reports "
            "folder from what the store holds.",
        )
        report.add_argument("month", help="The month, YYYY-MM.")
        pack = actions.add_parser(
            "statpack",
            help="Write a month's Stat pack (PDF) of every agency, or of one, into the store's "
            "reports folder from what the store holds.",
        )
        pack.add_argument("month", help="The month, YYYY-MM.")
        pack.add_argument("--agency", help="The agency's code; every agency when left out.")
        spikes = actions.add_parser(
            "spikes",
            help="Check the last CITYLINE_SPIKE_WINDOW_HOURS of every service type and district "
            "for spikes; raise (and e-mail) the new ones, end those found quiet.",
        )
        spikes.add_argument(
            "--schedule",
            action="store_true",
            help="Hand a check to the task worker every CITYLINE_SPIKE_CHECK_MINUTES until "
            "stopped (SIGTERM or SIGINT); script/worker runs it so.",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "report":
            self._report(options["month"])
            return
        if action == "statpack":
            self._stat_packs(options["month"], options["agency"])
            return
        if action == "spikes":
            self._spikes(schedule=options["schedule"])
            return
        full, schedule = options["full"], options["schedule"]
        if schedule:
            if full:
                raise CommandError("--schedule refreshes incrementally; drop --full")
            with outbox_stop_on_signals() as stop:
                self._schedule(stop)
            return
        try:
            result = analytics_refresh(full=full)
        except StoreBusy as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.requests} requests written into {len(result.months)} months"
            + (f" ({result.months[0]} to {result.months[-1]})" if result.months else "")
        )

    def _report(self, month: str) -> None:
        try:
            written = monthly_report_write(month=month)
        except InvalidInput as error:
            raise CommandError(f"{error.field}: {error.message}") from error
        for path in written:
            self.stdout.write(str(path))

    def _stat_packs(self, month: str, agency: str | None) -> None:
        try:
            written = stat_packs_write(month=month, agency=agency)
        except InvalidInput as error:
            raise CommandError(f"{error.field}: {error.message}") from error
        for path in written:
            self.stdout.write(str(path))

    def _spikes(self, *, schedule: bool) -> None:
        if schedule:
            with outbox_stop_on_signals() as stop:
                self._spike_schedule(stop)
            return
        result = spikes_check()
        self.stdout.write(
            f"{result.checked} series checked: {result.raised} spikes raised, "
            f"{result.continued} still open, {result.ended} ended"
        )

    def _schedule(self, stop: threading.Event) -> None:
        _every(stop, lambda: analytics_refresh_task.enqueue(), "CITYLINE_ANALYTICS_REFRESH_MINUTES")

    def _spike_schedule(self, stop: threading.Event) -> None:
        _every(stop, lambda: spikes_check_task.enqueue(), "CITYLINE_SPIKE_CHECK_MINUTES")


def _every(stop: threading.Event, enqueue: Callable[[], object], minutes_setting: str) -> None:
    """Enqueue a task, then wait the setting's minutes (read afresh each time), until stopped."""
    while not stop.is_set():
        enqueue()
        stop.wait(getattr(settings, minutes_setting) * 60)
