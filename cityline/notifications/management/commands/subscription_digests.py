from django.core.management.base import BaseCommand

from cityline.core import clock
from cityline.notifications.area_subscriptions import area_subscription_digests_queue


class Command(BaseCommand):
    help = (
        "Queue the weekly digest of every area or topic subscription whose last digest told of "
        "a week ago or more. script/worker runs it every minute."
    )

    def handle(self, *args, **options) -> None:
        queued = area_subscription_digests_queue(now=clock.now())
        self.stdout.write(f"queued {queued}")
