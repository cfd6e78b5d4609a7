from django.core.management.base import BaseCommand

from cityline.knowledge.indexing import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the knowledge search index from the published articles and the service catalog. "
        "Run it after changing service types or their keywords."
    )

    def handle(self, *args, **options) -> None:
        search_index_rebuild()
        self.stdout.write("search index rebuilt")
