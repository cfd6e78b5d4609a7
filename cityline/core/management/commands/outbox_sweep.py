import time

from django.core.management.base import BaseCommand, CommandError

from cityline.core.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Deliver the outbox messages that are due: retries after a failure's backoff, and "
        "messages a crashed worker had claimed. Run it once (from cron), or with --every to keep "
        "sweeping beside the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many messages per run."
        )
        parser.add_argument(
            "--every", type=int, default=0, help="Sweep again every N seconds until stopped."
        )

    def handle(self, *args, limit: int, every: int, **options) -> None:
        if every < 0:
            raise CommandError("--every must be 0 (sweep once) or more seconds")
        while True:
            delivered = outbox_sweep(limit=limit)
            self.stdout.write(f"delivered {delivered}")
            if not every:
                return
            time.sleep(every)
