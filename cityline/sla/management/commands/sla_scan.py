import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from cityline.core.outbox import outbox_stop_on_signals
from cityline.sla.escalation import sla_scan
from cityline.sla.tasks import sla_scan_task


class Command(BaseCommand):
    help = (
        "Mark requests at risk, breached and long overdue, and escalate each level once. "
        "With --schedule, hand a scan to the task worker every CITYLINE_SLA_SCAN_MINUTES until "
        "stopped (SIGTERM or SIGINT); script/worker runs it so."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue a scan task every CITYLINE_SLA_SCAN_MINUTES instead of scanning once.",
        )

    def handle(self, *args, schedule: bool, **options) -> None:
        if not schedule:
            result = sla_scan()
            self.stdout.write(f"escalated {result.escalated}, skipped {result.skipped}")
            return
        with outbox_stop_on_signals() as stop:
            self._schedule(stop)

    def _schedule(self, stop: threading.Event) -> None:
        while not stop.is_set():
            sla_scan_task.enqueue()
            stop.wait(settings.CITYLINE_SLA_SCAN_MINUTES * 60)
