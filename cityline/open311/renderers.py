"""JSON and XML documents as GeoReport v2 writes them.

A view returns a `Document`: the XML root element, the element for each item of a list (None when
the body is one object, like a service definition), and the body itself made of dicts, lists and
scalars. JSON lists are bare arrays. XML is written directly as text (no tree is built), which
keeps a thousand-row answer cheap.
"""

import functools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from django.http import HttpResponse

from cityline.open311.errors import Open311Error

JSON = "json"
XML = "xml"
CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    XML: "text/xml; charset=utf-8",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

# How XML names the members of a nested list.
XML_LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Markup, and characters XML 1.0 cannot carry at all (dropped).
_XML_UNSAFE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


@dataclass(frozen=True)
class Document:
    root: str
    item: str | None
    body: list[dict[str, Any]] | dict[str, Any]


def w3c_datetime(moment: datetime | None, zone: tzinfo) -> str | None:
    """A W3C date and time in the city's zone, with its offset and without fractions of a
    second, e.g. 2026-03-02T10:00:00-06:00."""
    if moment is None:
        return None
    try:
        return moment.astimezone(zone).isoformat(timespec="seconds")
    except OverflowError:
        # Within hours of year 1 or 9999 the city's wall clock is off the calendar: UTC is not.
        return moment.astimezone(UTC).isoformat(timespec="seconds")


class W3CFormatter:
    """`w3c_datetime` for many instants in one zone, at a fraction of the cost.

    The zone's offset is found once per hour of UTC time and reused for every instant in that
    hour; an hour that holds a change of offset (a daylight-saving switch in a zone whose
    changes fall off the hour) is formatted instant by instant.

    `utc_text` takes the instant as the database writes a UTC time in text
    (`2026-03-02 16:00:05.123456`, `…+00`) and builds no datetime at all when the zone's offset
    is whole hours: the local hour is looked up once per UTC hour and the minutes and seconds
    copied over.
    """

    _LAST_MICROSECOND = timedelta(hours=1, microseconds=-1)
    _WHOLE_HOUR = timedelta(hours=1)
    # Hours remembered per cache (a decade is about 88,000): past it, a cache starts afresh.
    CACHE_LIMIT = 20_000

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._hours: dict[int, tuple[timedelta, str] | None] = {}
        self._text_hours: dict[str, tuple[str, str] | None] = {}

    @classmethod
    @functools.lru_cache(maxsize=8)
    def for_zone(cls, zone: tzinfo) -> "W3CFormatter":
        """One formatter per zone for the whole process, so a page whose rows lie hours apart
        finds most hours already worked out by earlier pages."""
        return cls(zone)

    def utc_text(self, text: str | None) -> str | None:
        if text is None:
            return None
        try:
            hour = self._text_hours[text[:13]]
        except KeyError:
            hour = self._text_hour(text[:13])
        if hour is None:
            moment = datetime.fromisoformat(text)
            return self(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))
        local_hour, suffix = hour
        return local_hour + text[13:19] + suffix

    def _text_hour(self, key: str) -> tuple[str, str] | None:
        """The local `YYYY-MM-DDTHH` and offset of a UTC hour (`YYYY-MM-DD HH`), or None if its
        instants must be formatted one by one."""
        found = None
        start = datetime.fromisoformat(key).replace(tzinfo=UTC)
        hour = self._hour(start.toordinal() * 24 + start.hour, start)
        if hour is not None and hour[0] % self._WHOLE_HOUR == timedelta(0):
            found = ((start + hour[0]).isoformat()[:13], hour[1])
        if len(self._text_hours) >= self.CACHE_LIMIT:
            self._text_hours.clear()
        self._text_hours[key] = found
        return found

    def _hour(self, key: int, moment: datetime) -> tuple[timedelta, str] | None:
        found = None
        first: datetime | None
        last: datetime | None
        try:
            start = moment.replace(minute=0, second=0, microsecond=0)
            first = start.astimezone(self.zone)
            last = (start + self._LAST_MICROSECOND).astimezone(self.zone)
        except OverflowError:  # the last hour representable: format it instant by instant
            first = last = None
        if first is not None and last is not None:
            offset = first.utcoffset()
            if offset is not None and offset == last.utcoffset():
                found = (offset, first.isoformat(timespec="seconds")[19:])
        if len(self._hours) >= self.CACHE_LIMIT:
            self._hours.clear()
        self._hours[key] = found
        return found

    def __call__(self, moment: datetime | None) -> str | None:
        if moment is None:
            return None
        if moment.tzinfo is not UTC:
            moment = moment.astimezone(UTC)
        key = moment.toordinal() * 24 + moment.hour
        try:
            hour = self._hours[key]
        except KeyError:
            hour = self._hour(key, moment)
        if hour is None:
            return w3c_datetime(moment, self.zone)
        offset, suffix = hour
        # The wall-clock time is the UTC time moved by the offset; [:19] drops any fraction of
        # a second and the UTC offset, and the city's offset follows.
        return (moment + offset).isoformat()[:19] + suffix


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        if _XML_UNSAFE.search(value) is None:
            return value
        return _XML_UNSAFE.sub(lambda m: _XML_ENTITIES.get(m.group(), ""), value)
    return str(value)


def _xml_fields(fields: dict[str, Any], out: list[str]) -> None:
    unsafe = _XML_UNSAFE.search
    for name, value in fields.items():
        kind = type(value)
        if kind is str and unsafe(value) is None:  # the common case, kept cheap
            out.append(f"<{name}>{value}</{name}>")
        elif kind is list:
            child = XML_LIST_ITEMS[name]
            out.append(f"<{name}>")
            for member in value:
                if isinstance(member, dict):
                    out.append(f"<{child}>")
                    _xml_fields(member, out)
                    out.append(f"</{child}>")
                else:
                    out.append(f"<{child}>{_xml_text(member)}</{child}>")
            out.append(f"</{name}>")
        elif kind is dict:
            out.append(f"<{name}>")
            _xml_fields(value, out)
            out.append(f"</{name}>")
        else:
            out.append(f"<{name}>{_xml_text(value)}</{name}>")


def xml_bytes(document: Document) -> bytes:
    out = [XML_DECLARATION, f"<{document.root}>"]
    if document.item is None:
        assert isinstance(document.body, dict)
        _xml_fields(document.body, out)
    else:
        assert isinstance(document.body, list)
        for item in document.body:
            out.append(f"<{document.item}>")
            _xml_fields(item, out)
            out.append(f"</{document.item}>")
    out.append(f"</{document.root}>")
    return "".join(out).encode("utf-8", "replace")


def json_bytes(document: Document) -> bytes:
    text = json.dumps(document.body, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "replace")


def render(fmt: str, document: Document, *, status: int = 200) -> HttpResponse:
    body = json_bytes(document) if fmt == JSON else xml_bytes(document)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    document = Document(
        root="errors",
        item="error",
        body=[{"code": int(error.status), "description": error.message}],
    )
    return render(fmt, document, status=int(error.status))


def format_from_path(path: str) -> str:
    """The format a client asked for on a path no route matched (XML, the spec's default)."""
    return JSON if path.endswith(".json") else XML
