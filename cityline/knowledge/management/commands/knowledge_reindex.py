from django.core.management.base import BaseCommand

from cityline.knowledge.indexing import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the knowledge search index and its vocabulary from the published articles and "
        "the service catalog. Publishing and catalog edits keep it up to date; run it after an "
        "upgrade that changes how search indexes, or to drop words no longer used."
    )

    def handle(self, *args, **options) -> None:
        search_index_rebuild()
        self.stdout.write("search index rebuilt")
