"""The shared half of every format that imports a file of service requests.

A subclass names the format, adds its own options and turns the file into rows: `rows()` returns
`(line, HistoricRequest)` or `(line, Rejected(reason))` pairs. Opening (plain or gzipped), --limit,
batching, the progress bar, the upsert and the printed summary are done here.
"""

import argparse
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TextIO

from django.core.management import CommandError
from django.db import OperationalError, ProgrammingError

from cityline.imports.catalog import CatalogCache
from cityline.imports.pipeline import DEFAULT_BATCH_SIZE, Rejected, historic_requests_import
from cityline.imports.registry import ImportFormat
from cityline.imports.reporting import ImportTally
from cityline.imports.streams import ImportFileError, SourceFile, open_source, progress_bar
from cityline.servicerequests.services.bulk import HistoricRequest


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return value


class RequestFileFormat(ImportFormat):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="the file; gzipped or not")
        parser.add_argument(
            "--limit", type=positive_int, help="read at most this many rows (after the header)"
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows stored per transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar, even at a terminal"
        )
        self.add_format_arguments(parser)

    def add_format_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The format's own options."""

    def rows(
        self, *, source: SourceFile, options: dict, catalog: CatalogCache
    ) -> Iterator[tuple[int, HistoricRequest | Rejected]]:
        """Check the header (raise ImportFileError if it is not this format), then parse."""
        raise NotImplementedError

    def handle(self, *, options: dict, out: TextIO, err: TextIO) -> None:
        catalog = CatalogCache()
        tally = ImportTally()
        started = time.perf_counter()
        try:
            with open_source(options["path"]) as source:
                rows = self.rows(source=source, options=options, catalog=catalog)
                if options.get("limit"):
                    rows = islice(rows, options["limit"])
                with progress_bar(
                    source=source, enabled=not options.get("no_progress"), stream=err
                ) as bar:

                    def after_batch(tally: ImportTally) -> None:
                        bar.update(source.position() - bar.n)
                        bar.set_postfix(rows=f"{tally.read:,}", refresh=False)

                    historic_requests_import(
                        rows=rows,
                        tally=tally,
                        batch_size=options.get("batch_size") or DEFAULT_BATCH_SIZE,
                        after_batch=after_batch,
                    )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except (OperationalError, ProgrammingError) as exc:
            self._summarise(options, tally, catalog, started, out)
            raise CommandError(
                f"the database stopped the import ({exc}); is it migrated (cityline migrate)? "
                "The rows counted above are stored."
            ) from exc
        self._summarise(options, tally, catalog, started, out)

    @staticmethod
    def _summarise(
        options: dict, tally: ImportTally, catalog: CatalogCache, started: float, out: TextIO
    ) -> None:
        seconds = time.perf_counter() - started
        for line in tally.summary(name=str(options["path"]), seconds=seconds):
            out.write(line + "\n")
        out.write(
            f"Catalog: {_count(catalog.agencies_created, 'agency', 'agencies')} and "
            f"{_count(catalog.service_types_created, 'service type', 'service types')} added.\n"
        )


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"
