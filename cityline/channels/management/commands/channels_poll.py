import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from cityline.channels.imap import mailbox_poll
from cityline.channels.services.sms import sms_conversations_expire
from cityline.channels.tasks import channels_poll_task
from cityline.core.outbox import outbox_stop_on_signals


class Command(BaseCommand):
    help = (
        "Read the city's mailbox (CITYLINE_IMAP_*) and close text conversations past their time. "
        "With --schedule, hand that to the task worker every CITYLINE_CHANNELS_POLL_MINUTES until "
        "stopped (SIGTERM or SIGINT); script/worker runs it so."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue a poll every CITYLINE_CHANNELS_POLL_MINUTES instead of polling once.",
        )

    def handle(self, *args, schedule: bool, **options) -> None:
        if not schedule:
            expired = sms_conversations_expire()
            received = mailbox_poll()
            self.stdout.write(f"e-mails received {received}, conversations closed {expired}")
            return
        with outbox_stop_on_signals() as stop:
            self._schedule(stop)

    def _schedule(self, stop: threading.Event) -> None:
        while not stop.is_set():
            channels_poll_task.enqueue()
            stop.wait(settings.CITYLINE_CHANNELS_POLL_MINUTES * 60)
