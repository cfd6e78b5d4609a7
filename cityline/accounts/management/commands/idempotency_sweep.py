from django.core.management.base import BaseCommand

from cityline.accounts.idempotency import KEEP, idempotency_key_sweep


class Command(BaseCommand):
    help = (
        f"Forget the Idempotency-Keys of POSTs older than {KEEP.days} day (a retry after that "
        "makes a new request anyway). Run it daily, from cron."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"forgot {idempotency_key_sweep()} keys")
