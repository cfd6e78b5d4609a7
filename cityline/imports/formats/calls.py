"""`cityline import calls PATH`: calls as a phone system (ACD) exports them, joined to contacts.

The layout (docs/contacts.md), a CSV with a header row, in any column order:

    call_id,queue,offered,answered,abandoned,ended,agent

Times are ISO 8601 with an offset, or the city's local time without one (`2026-03-02 09:15:07`);
`answered` and `abandoned` are empty for the other outcome; `agent` is the Cityline username of
the agent who answered. Each call is stored once by its id (a re-import updates it) and joined to
the phone contact its agent started on the desk when they picked it up.
"""

import argparse
import csv
from collections.abc import Iterator
from typing import TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import CommandError

from cityline.contacts.services import CallRecord, calls_import
from cityline.imports.registry import ImportFormat, register
from cityline.imports.streams import ImportFileError, open_source
from cityline.imports.times import TimeParser

COLUMNS = ("call_id", "queue", "offered", "answered", "abandoned", "ended", "agent")


class _BadRow(ValueError):
    pass


def _records(
    text: TextIO, times: TimeParser, refused: list[tuple[str, str]]
) -> Iterator[CallRecord]:
    reader = csv.DictReader(text)
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise CommandError(f"the file has no column {', '.join(missing)}")
    for line, row in enumerate(reader, start=2):
        call_id = (row["call_id"] or "").strip()
        try:
            offered = times.parse(row["offered"] or "")
            if offered is None:
                raise _BadRow("no offered time")
            yield CallRecord(
                call_id=call_id,
                queue=(row["queue"] or "").strip()[:64],
                offered_at=offered,
                answered_at=times.parse(row["answered"] or ""),
                abandoned_at=times.parse(row["abandoned"] or ""),
                ended_at=times.parse(row["ended"] or ""),
                agent=(row["agent"] or "").strip(),
            )
        except ValueError as exc:
            why = str(exc) if isinstance(exc, _BadRow) else f"not a time: {exc}"
            refused.append((call_id or f"line {line}", why))


@register
class CallsFormat(ImportFormat):
    name = "calls"
    help = "calls from a phone system's call-detail CSV, joined to the contacts agents logged"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", help="the call-detail CSV (plain or gzipped)")

    def handle(self, *, options: dict, out: TextIO, err: TextIO) -> None:
        times = TimeParser(ZoneInfo(settings.TIME_ZONE))
        unreadable: list[tuple[str, str]] = []
        try:
            with open_source(options["path"]) as source:
                result = calls_import(calls=_records(source.text, times, unreadable))
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        refused = unreadable + result.refused
        for call_id, why in refused:
            err.write(f"refused {call_id}: {why}\n")
        out.write(
            f"calls: {result.created} new, {result.linked} joined to logged contacts, "
            f"{result.updated} updated, {len(refused)} refused\n"
        )
