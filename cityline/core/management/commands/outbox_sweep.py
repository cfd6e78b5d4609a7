from django.core.management.base import BaseCommand

from cityline.core.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Deliver the outbox messages that are due: retries after a failure's backoff, and "
        "messages a crashed worker had claimed. Run it every minute (cron or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many messages per run."
        )

    def handle(self, *args, limit: int, **options) -> None:
        delivered = outbox_sweep(limit=limit)
        self.stdout.write(f"delivered {delivered}")
