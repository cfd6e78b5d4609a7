"""`cityline knowledge import PATH` and `cityline knowledge export PATH [--format ...]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.knowledge.transfer.exporting import knowledge_export
from cityline.knowledge.transfer.importing import knowledge_import
from cityline.knowledge.transfer.records import TransferError


class Command(BaseCommand):
    help = (
        "Import the knowledge base from a folder of Markdown files or a JSON file, or export its "
        "published articles and translations in the same formats."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser(
            "import",
            help="Create or update articles and translations; unchanged content is left as is.",
        )
        load.add_argument("path", type=Path, help="A folder of .md files or a .json file.")
        dump = actions.add_parser("export", help="Write the published articles.")
        dump.add_argument("path", type=Path, help="A folder (Markdown) or a file (JSON).")
        dump.add_argument("--format", choices=["markdown", "json"], default="markdown")

    def handle(self, *args, action: str, path: Path, **options) -> None:
        try:
            if action == "export":
                count = knowledge_export(path=path, format=options["format"])
                self.stdout.write(self.style.SUCCESS(f"{count} articles exported to {path}"))
                return
            report = knowledge_import(path=path)
        except TransferError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"articles: {report.created} created, {report.revised} updated, "
            f"{report.unchanged} unchanged; translations: {report.translations_created} "
            f"created, {report.translations_revised} updated, "
            f"{report.translations_unchanged} unchanged"
        )
        for where, message in report.errors:
            self.stderr.write(f"{where}: {message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} files or records could not be imported")
