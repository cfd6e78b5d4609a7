"""`cityline import open311json`: service requests as an Open311 GeoReport v2 server returns them.

The file is the JSON array of `GET requests.json` (one page, or pages saved one after another
into one array), from any city's server. Chicago's with `extensions=true` adds
`extended_attributes` (channel, ward, `duplicate`, `parent_service_request_id`) and `notes`, the
request's history: the notes become history entries, and a duplicate is linked to the request it
repeats when that one is stored too. docs/imports.md lists what maps to what.
"""

import argparse
import json
import re
import zlib
from collections.abc import Iterator
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.management import CommandError

from cityline.core.models import max_length_of
from cityline.imports.catalog import CatalogCache
from cityline.imports.cityrows import (
    CitySource,
    KindCache,
    Point,
    TimeColumns,
    address,
    agency_code_for,
    kept,
    key_max,
    looked_up,
    point,
    request_state,
    zipcode,
)
from cityline.imports.formats.nyc311 import resolution_for
from cityline.imports.pipeline import Rejected
from cityline.imports.registry import register
from cityline.imports.requestfiles import RequestFileFormat
from cityline.imports.streams import ImportFileError, SourceFile
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
from cityline.servicerequests.services.bulk import HistoricRequest
from cityline.servicerequests.services.imported import (
    ImportedNote,
    service_request_imported_duplicates_link,
    service_request_imported_notes_add,
)

_SOURCE_MAX = max_length_of(ServiceRequest, "source")
# The shortest service_request_id a tracking prefix must leave room for.
_KEY_ROOM = 12
_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CLOSED = Status.CLOSED.value
STATUSES = {"open": Status.NEW.value, "closed": _CLOSED}
_STAFF = Channel.STAFF.value

# extended_attributes.channel → ours: our own names (Chicago's `phone`, `web`, `open311`), and a
# few other spellings servers use.
CHANNEL_NAMES = {
    **{channel.value: channel.value for channel in Channel},
    "e-mail": Channel.EMAIL.value,
    "twitter": Channel.SOCIAL.value,
    "text": Channel.SMS.value,
    "walk-in": Channel.WALK_IN.value,
    "app": Channel.MOBILE.value,
    "iphone": Channel.MOBILE.value,
    "android": Channel.MOBILE.value,
}

# Note types that are the request's own creation and closing, which its history already tells.
OWN_NOTES = frozenset({"opened", "closed"})
_READ_SIZE = 1 << 16
_SPACE = re.compile(r"\s*")
_NUMBER_TAIL = re.compile(r"[0-9.eE+-]*")


def source_name(text: str) -> str:
    if not _SOURCE_NAME.match(text) or len(text) > _SOURCE_MAX:
        raise argparse.ArgumentTypeError(
            f"{text!r}: lower-case letters, digits, - and _, at most {_SOURCE_MAX} characters"
        )
    return text


def time_zone(text: str) -> ZoneInfo:
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a time zone") from None


@register
class Open311JsonFormat(RequestFileFormat):
    name = "open311json"
    help = "Open311 GeoReport v2 requests JSON, as a city's server returns it (plain or gzipped)"

    def add_format_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--source",
            required=True,
            type=source_name,
            help="the system the requests come from, e.g. chicago311: with each request's "
            "service_request_id it keys the request, so importing again updates it",
        )
        parser.add_argument(
            "--tracking-prefix",
            metavar="PREFIX",
            help="tracking numbers are PREFIX + service_request_id (default: the source in "
            "capitals and -, e.g. CHICAGO311-)",
        )
        parser.add_argument(
            "--time-zone",
            type=time_zone,
            metavar="ZONE",
            help="the zone of times written without an offset (default: the city's TIME_ZONE)",
        )

    def handle(self, *, options: dict, out: TextIO, err: TextIO) -> None:
        self.follow_ups = FollowUps()
        super().handle(options=options, out=out, err=err)
        source = options["source"]
        added = service_request_imported_notes_add(source=source, notes=self.follow_ups.notes)
        linked = service_request_imported_duplicates_link(
            source=source, parents=self.follow_ups.parents
        )
        out.write(
            f"History: {added:,} {'note' if added == 1 else 'notes'} added; "
            f"{linked:,} {'duplicate' if linked == 1 else 'duplicates'} linked to "
            "the request they repeat.\n"
        )

    def rows(
        self, *, source: SourceFile, options: dict, catalog: CatalogCache
    ) -> Iterator[tuple[int, HistoricRequest | Rejected]]:
        prefix = options.get("tracking_prefix") or f"{options['source'].upper()}-"
        if key_max(prefix) < _KEY_ROOM:
            raise CommandError(f"--tracking-prefix {prefix!r} is too long")
        parser = Open311RowParser(
            catalog=catalog,
            source=options["source"],
            tracking_prefix=prefix,
            zone=options.get("time_zone") or ZoneInfo(settings.TIME_ZONE),
            follow_ups=self.follow_ups,
        )
        items = JsonArrayItems(source.text, name=str(source.path))
        return _parsed(items, parser)


def _parsed(items: "JsonArrayItems", parser: "Open311RowParser"):
    for line, item in items:
        if isinstance(item, Rejected):
            yield line, item
        elif not isinstance(item, dict):
            yield line, Rejected("not a JSON object")
        else:
            yield line, parser.parse(item)


class FollowUps:
    """What is added once the requests are stored: their notes and their duplicates' links."""

    def __init__(self) -> None:
        self.notes: list[ImportedNote] = []
        self.parents: dict[str, str] = {}


class Open311RowParser:
    def __init__(
        self,
        *,
        catalog: CatalogCache,
        source: str,
        tracking_prefix: str,
        zone: ZoneInfo,
        follow_ups: FollowUps,
    ) -> None:
        self.kinds = KindCache(catalog)
        self.times = TimeColumns(zone)
        self.city = CitySource(source, prefix=tracking_prefix)
        self.follow_ups = follow_ups

    def parse(self, item: dict) -> HistoricRequest | Rejected:
        key_text = _text(item.get("service_request_id"))
        if not key_text and "code" in item and "description" in item:
            return Rejected("an Open311 error, not a request")
        key = self.city.key(key_text, column="service_request_id")
        if isinstance(key, Rejected):
            return key
        requested_at = self.times.required(
            _text(item.get("requested_datetime")), column="requested_datetime"
        )
        if isinstance(requested_at, Rejected):
            return requested_at
        later = self.times.optional(
            (_text(item.get("updated_datetime")), "updated_datetime"),
            (_text(item.get("expected_datetime")), "expected_datetime"),
        )
        if isinstance(later, Rejected):
            return later
        updated, expected_at = later
        extended = item.get("extended_attributes")
        extended = extended if isinstance(extended, dict) else {}
        notes = item.get("notes")
        notes = notes if isinstance(notes, list) else []
        history = self._history(notes)
        if isinstance(history, Rejected):
            return history
        entries, closed_note = history
        status = looked_up(STATUSES, _text(item.get("status")), column="status")
        if isinstance(status, Rejected):
            return status
        status_notes = _text(item.get("status_notes"))
        duplicate = extended.get("duplicate") is True
        state = request_state(
            status=status,
            resolution=Resolution.DUPLICATE.value if duplicate else resolution_for(status_notes),
            notes=status_notes,
            requested_at=requested_at,
            closed_at=closed_note,
            updated=updated,
            unclosed="closed without a closing note or updated_datetime",
        )
        if isinstance(state, Rejected):
            return state
        where = self._point(item)
        if isinstance(where, Rejected):
            return where
        type_name = _text(item.get("service_name")) or _text(item.get("service_code"))
        if not type_name:
            return Rejected("no service_name or service_code")
        agency_name = _text(item.get("agency_responsible")) or self.city.name
        channel = CHANNEL_NAMES.get(_text(extended.get("channel")).lower(), Channel.UNKNOWN.value)
        kind = self.kinds.kind(
            agency_code=agency_code_for(agency_name),
            agency_name=agency_name,
            type_name=type_name,
            by_staff=channel == _STAFF,
        )
        parent_key = _text(extended.get("parent_service_request_id"))
        for occurred_at, text in entries:
            self.follow_ups.notes.append(ImportedNote(key, occurred_at, text))
        if duplicate and parent_key:
            self.follow_ups.parents[key] = parent_key
        return self.city.request(
            key=key,
            kind=kind,
            point=where,
            requested_at=requested_at,
            state=state,
            description=_text(item.get("description")),
            channel=channel,
            address=address(_text(item.get("address"))),
            zipcode=zipcode(_text(item.get("zipcode")) or _text(extended.get("zip"))),
            expected_at=expected_at,
            answers=_answers(item.get("attributes")),
            source_fields=kept(
                {
                    "service_code": _text(item.get("service_code")),
                    "media_url": _text(item.get("media_url")),
                    "address_id": _text(item.get("address_id")),
                    **{
                        name: _text(value)
                        for name, value in extended.items()
                        if name not in ("channel", "duplicate") and _is_scalar(value)
                    },
                }
            ),
        )

    def _history(self, notes: list) -> tuple[list[tuple[Any, str]], Any] | Rejected:
        """The request's notes as (time, text) entries, and the time of its closing note."""
        entries = []
        closed_at = None
        for note in notes:
            if not isinstance(note, dict):
                return Rejected("a note that is not a JSON object")
            try:
                at = self.times.parse(_text(note.get("datetime")))
            except ValueError:
                return Rejected("unreadable note datetime")
            if at is None:
                return Rejected("a note without a datetime")
            kind = _text(note.get("type")).lower()
            if kind == "closed":
                closed_at = at
            if kind in OWN_NOTES:
                continue
            summary = _text(note.get("summary"))
            description = _text(note.get("description"))
            text = ": ".join(part for part in (summary, description) if part)
            if text:
                entries.append((at, text))
        return entries, closed_at

    @staticmethod
    def _point(item: dict) -> Point | Rejected:
        return point(_text(item.get("lat")), _text(item.get("long")), label="lat/long")


def _text(value: object) -> str:
    """A JSON value as text: numbers as written, null and containers as nothing."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()


def _is_scalar(value: object) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _answers(attributes: object) -> dict[str, str]:
    """Answers to intake questions (GeoReport's `attributes`, code → value; a list of keys is
    kept comma-separated)."""
    if not isinstance(attributes, dict):
        return {}
    answers = {}
    for code, value in attributes.items():
        if isinstance(value, list):
            text = ",".join(_text(key) for key in value if _text(key))
        else:
            text = _text(value)
        if text:
            answers[str(code)[:64]] = text
    return answers


class JsonArrayItems:
    """`(line, item)` for each element of the file's top-level JSON array, read a block at a time,
    or `(line, Rejected(reason))` where the file stops being readable (the rest cannot be told
    apart then).

    Each element is decoded by the standard library's decoder as soon as its text is in; `line`
    is the file line it starts on, so rejected requests are named by their line like CSV rows.
    """

    def __init__(self, text: TextIO, *, name: str) -> None:
        self.text = text
        self.buffer = ""
        self.at = 0
        self.line = 1
        self.ended = False
        self.decoder = json.JSONDecoder()
        if self._next_character() != "[":
            raise ImportFileError(f"{name}: not Open311 requests JSON (no array of requests)")
        self.at += 1

    def __iter__(self) -> Iterator[tuple[int, object]]:
        try:
            if self._next_character() == "]":
                return
            while True:
                try:
                    yield self._value()
                except json.JSONDecodeError as exc:
                    yield (
                        self.line,
                        Rejected(f"unreadable JSON ({exc.msg}); the rest of the file is not read"),
                    )
                    return
                after = self._next_character()
                if after == "]":
                    return
                if after != ",":
                    yield (
                        self.line,
                        Rejected(
                            "unreadable JSON (no , or ] after a request); the rest is not read"
                        ),
                    )
                    return
                self.at += 1
                self._next_character()
        except (EOFError, OSError, zlib.error) as exc:
            yield self.line, Rejected(f"the file ends early or is damaged ({exc})")

    def _more(self) -> bool:
        if self.ended:
            return False
        block = self.text.read(_READ_SIZE)
        if not block:
            self.ended = True
            return False
        self.buffer = self.buffer[self.at :] + block
        self.at = 0
        return True

    def _next_character(self) -> str:
        """The next character that is not white space, consumed up to it; `` at the end."""
        while True:
            space = _SPACE.match(self.buffer, self.at)
            end = space.end() if space else self.at
            self.line += self.buffer.count("\n", self.at, end)
            self.at = end
            if self.at < len(self.buffer):
                return self.buffer[self.at]
            if not self._more():
                return ""

    def _value(self) -> tuple[int, object]:
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.at)
            except json.JSONDecodeError:
                if self._more():
                    continue
                raise
            # A number that reaches the end of the block (`6.` of `6.5e3`) may go on in the next.
            if (
                isinstance(value, (int, float))
                and _NUMBER_TAIL.fullmatch(self.buffer, end)
                and self._more()
            ):
                continue
            line = self.line
            self.line += self.buffer.count("\n", self.at, end)
            self.at = end
            return line, value
