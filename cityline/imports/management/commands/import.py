"""`cityline import FORMAT …`: one sub-command per format of `cityline.imports.formats`."""

from typing import TextIO, cast

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandParser

from cityline.imports.registry import import_formats


class Command(BaseCommand):
    help = "Import data from another system: cityline import FORMAT --help for each format."
    # The checks of what an import uses. The URL checks import every view of the site, which
    # an import never serves, and would be most of a small import's start-up.
    requires_system_checks = [Tags.models, Tags.database]

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(
            dest="format", metavar="FORMAT", required=True, title="formats"
        )
        for name, format_class in import_formats().items():
            sub = subparsers.add_parser(name, help=format_class.help, description=format_class.help)
            format_class().add_arguments(sub)

    def handle(self, *args, **options) -> None:
        format_class = import_formats()[options["format"]]
        # Summaries go through Django's wrapper; the progress bar needs the terminal itself.
        format_class().handle(
            options=options, out=cast(TextIO, self.stdout), err=cast(TextIO, self.stderr._out)
        )
