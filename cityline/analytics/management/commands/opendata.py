from django.core.management.base import BaseCommand, CommandParser

from cityline.analytics.opendata import open_data_dir, open_data_write


class Command(BaseCommand):
    help = "The open-data export of requests (docs/open-data.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "export",
            help="Write every publicly listed request as CSV, Parquet and GeoJSON into "
            "CITYLINE_OPEN_DATA_DIR, scrubbed as each service type says; the worker does it every "
            "CITYLINE_OPEN_DATA_HOURS.",
        )

    def handle(self, *args, action: str, **options) -> None:
        export = open_data_write()
        self.stdout.write(
            f"{export.rows} requests written to {open_data_dir()} "
            f"(schema version {export.schema_version})"
        )
        for file in export.files:
            self.stdout.write(f"{file.name}: {file.size} bytes")
