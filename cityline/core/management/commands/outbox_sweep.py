from django.core.management.base import BaseCommand, CommandError

from cityline.core.outbox import outbox_stop_on_signals, outbox_sweep


class Command(BaseCommand):
    help = (
        "Deliver the outbox messages that are due: retries after a failure's backoff, and "
        "messages whose lease ran out in a crashed worker. Run it once (from cron), or with "
        "--every to keep sweeping beside the worker. SIGTERM or SIGINT stops it after the message "
        "in hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many messages per run."
        )
        parser.add_argument(
            "--every", type=float, default=0, help="Sweep again every N seconds until stopped."
        )

    def handle(self, *args, limit: int, every: float, **options) -> None:
        if every < 0:
            raise CommandError("--every must be 0 (sweep once) or more seconds")
        with outbox_stop_on_signals() as stop:
            while not stop.is_set():
                delivered = outbox_sweep(limit=limit, stop=stop)
                self.stdout.write(f"delivered {delivered}", ending="\n")
                self.stdout.flush()
                if not every:
                    return
                stop.wait(every)
