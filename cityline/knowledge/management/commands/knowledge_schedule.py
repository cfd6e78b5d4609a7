from django.core.management.base import BaseCommand

from cityline.knowledge.services import article_schedule_apply


class Command(BaseCommand):
    help = (
        "Publish the knowledge revisions scheduled for now or earlier and archive the articles "
        "whose expiry has passed. Run it from cron, every minute."
    )

    def handle(self, *args, **options) -> None:
        published = article_schedule_apply()
        self.stdout.write(f"published {published}")
