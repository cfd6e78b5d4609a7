"""What the formats of other cities' 311 files share (the CSVs of New York, Boston, San Francisco
and Los Angeles, and Open311 JSON).

A format names the columns it reads in a NamedTuple of column keys, and a parser that turns one
such record into a HistoricRequest or the Rejected reason; `CityCsvFormat` does the rest: the
header check, records of the wrong width, and the (line, row) stream the pipeline stores.
A parser reads its row with the helpers below (key, times, state, agency code), which say why a
row is rejected in the source's own column names, and builds the request with its `CitySource`.
"""

import hashlib
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from cityline.core.models import max_length_of
from cityline.imports.catalog import (
    AGENCY_CODE_MAX,
    CatalogCache,
    service_type_code,
    service_type_name,
)
from cityline.imports.pipeline import Rejected
from cityline.imports.requestfiles import RequestFileFormat
from cityline.imports.streams import ImportFileError, SourceFile, csv_records
from cityline.imports.times import TimeParser
from cityline.servicerequests.models import ServiceRequest, Status
from cityline.servicerequests.services.bulk import HistoricRequest

ADDRESS_MAX = max_length_of(ServiceRequest, "address")
ZIP_MAX = max_length_of(ServiceRequest, "zipcode")
_US_ZIP = re.compile(r"^\d{5}(-?\d{4})?$")
_FLOAT_WHOLE = re.compile(r"^(-?\d+)\.0+$")
_CLOSED = Status.CLOSED.value
T = TypeVar("T")


def column_key(name: str) -> str:
    """`X Coordinate (State Plane)` and `x_coordinate_state_plane` are the same column."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def key_max(prefix: str) -> int:
    """The longest source key whose tracking number `prefix + key` still fits."""
    return min(
        max_length_of(ServiceRequest, "source_id"),
        max_length_of(ServiceRequest, "tracking_number") - len(prefix),
    )


class Point(NamedTuple):
    latitude: float | None
    longitude: float | None


class Kind(NamedTuple):
    agency_id: int
    service_type_id: int


class State(NamedTuple):
    """Status and resolution, and the times they imply."""

    status: str
    resolution: str
    notes: str
    closed_at: datetime | None
    updated_at: datetime


NO_POINT = Point(None, None)


class CitySource:
    """One city's requests: their source name and the prefix of their tracking numbers."""

    def __init__(self, name: str, *, prefix: str) -> None:
        self.name = name
        self.prefix = prefix
        self.key_max = key_max(prefix)

    def key(self, key: str, *, column: str) -> str | Rejected:
        """A row's own key, read from `column`: there, and short enough to track."""
        if not key:
            return Rejected(f"no {column}")
        if len(key) > self.key_max:
            return Rejected(f"{column} too long")
        return key

    def request(
        self,
        *,
        key: str,
        kind: Kind,
        point: Point,
        requested_at: datetime,
        state: State,
        channel: str,
        address: str,
        zipcode: str,
        description: str = "",
        expected_at: datetime | None = None,
        answers: dict[str, str] | None = None,
        source_fields: dict[str, str],
        stated_areas: dict[str, str] | None = None,
    ) -> HistoricRequest:
        return HistoricRequest(
            source=self.name,
            source_id=key,
            tracking_number=self.prefix + key,
            service_type_id=kind.service_type_id,
            agency_id=kind.agency_id,
            requested_at=requested_at,
            updated_at=state.updated_at,
            status=state.status,
            resolution=state.resolution,
            status_notes=state.notes,
            description=description,
            channel=channel,
            latitude=point.latitude,
            longitude=point.longitude,
            address=address,
            zipcode=zipcode,
            expected_at=expected_at,
            closed_at=state.closed_at,
            answers={} if answers is None else answers,
            source_fields=source_fields,
            stated_areas={} if stated_areas is None else stated_areas,
        )


class TimeColumns:
    """A row's time columns in one zone: `unreadable X` for text that is no time, `no X` for a
    blank one that must be there."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.parse = TimeParser(zone).parse

    def required(self, text: str, *, column: str) -> datetime | Rejected:
        try:
            found = self.parse(text)
        except ValueError:
            return Rejected(f"unreadable {column}")
        if found is None:
            return Rejected(f"no {column}")
        return found

    def optional(self, *cells: tuple[str, str]) -> list[datetime | None] | Rejected:
        """The times of (text, column) cells, None for a blank one."""
        parse = self.parse
        found = []
        for text, column in cells:
            try:
                found.append(parse(text))
            except ValueError:
                return Rejected(f"unreadable {column}")
        return found


def looked_up(table: Mapping[str, T], text: str, *, column: str) -> T | Rejected:
    """What `table` maps a cell's text to, any case; `unknown X 'text'` for text it lacks."""
    found = table.get(text.strip().lower())
    if found is None:
        return Rejected(f"unknown {column} {text.strip()[:40]!r}")
    return found


def request_state(
    *,
    status: str,
    resolution: str,
    notes: str,
    requested_at: datetime,
    closed_at: datetime | None,
    updated: datetime | None,
    unclosed: str,
) -> State | Rejected:
    """A closed request's resolution and closing time (its own, else its last update: rejected
    as `unclosed` without either); neither for an open one. The last change is the last update,
    else the closing: times are kept as written, but it is never before the request."""
    if status == _CLOSED:
        closed_at = closed_at or updated
        if closed_at is None:
            return Rejected(unclosed)
    else:
        closed_at, resolution = None, ""
    updated_at = updated or closed_at or requested_at
    if updated_at < requested_at:
        updated_at = requested_at
    return State(status, resolution, notes, closed_at, updated_at)


def agency_code(text: str, *, column: str) -> str | Rejected:
    """The agency code a row names in `column`: there, and short enough for the catalog."""
    code = text.strip()
    if not code:
        return Rejected(f"no {column}")
    if len(code) > AGENCY_CODE_MAX:
        return Rejected(f"{column} code too long")
    return code


class RecordReader:
    """Records of one header → NamedTuples of the columns a format reads ("" where it lacks one).

    Column names are compared by `column_key`: `Responsible Agency`, `Responsible.Agency` and
    `responsible_agency` are one column.
    """

    def __init__(self, header: list[str], record: Any) -> None:
        keys = [column_key(name) for name in header]
        self.width = len(keys)
        position = {key: i for i, key in reversed(list(enumerate(keys)))}
        self.present = set(position)
        self.record = record
        self.fields = operator.itemgetter(
            *(position.get(key, self.width) for key in record._fields)
        )

    def read(self, record: list[str]) -> Any:
        if len(record) != self.width:
            return Rejected(f"wrong number of fields ({len(record)}, header has {self.width})")
        record.append("")
        return self.record._make(self.fields(record))


class CityCsvFormat(RequestFileFormat):
    """A CSV file of one city's requests; a subclass gives its columns and its row parser."""

    record: Any  # the NamedTuple of the column keys read
    required: tuple[str, ...]
    # "a Boston 311 file": the refusal of a file without the required columns says what it is not.
    described_as: str

    def parser(
        self, *, catalog: CatalogCache, options: dict, present: set[str]
    ) -> Callable[[Any], HistoricRequest | Rejected]:
        """The function turning one record into a request, for a file with these columns."""
        raise NotImplementedError

    def rows(
        self, *, source: SourceFile, options: dict, catalog: CatalogCache
    ) -> Iterator[tuple[int, HistoricRequest | Rejected]]:
        records = csv_records(source)
        first = next(records, None)
        if first is None or isinstance(first[1], str):
            raise ImportFileError(f"{source.path}: no CSV header")
        reader = RecordReader(first[1], self.record)
        missing = [key for key in self.required if key not in reader.present]
        if missing:
            raise ImportFileError(
                f"{source.path}: not {self.described_as}, no column {', '.join(missing)}"
            )
        parse = self.parser(catalog=catalog, options=options, present=reader.present)
        return _parsed(records, reader, parse)


def _parsed(
    records, reader: RecordReader, parse
) -> Iterator[tuple[int, HistoricRequest | Rejected]]:
    for line, record in records:
        if isinstance(record, str):
            yield line, Rejected(record)
            continue
        fields = reader.read(record)
        yield line, fields if isinstance(fields, Rejected) else parse(fields)


class KindCache:
    """(agency, service type) ids of a row, created in the catalog on first sight."""

    def __init__(self, catalog: CatalogCache) -> None:
        self.catalog = catalog
        self.kinds: dict[tuple[str, str, str, bool], Kind] = {}

    def kind(self, *, agency_code: str, agency_name: str, type_name: str, by_staff: bool) -> Kind:
        key = (agency_code, agency_name, type_name, by_staff)
        kind = self.kinds.get(key)
        if kind is None:
            agency_id = self.catalog.agency_id(code=agency_code, name=agency_name)
            service_type_id = self.catalog.service_type_id(
                code=service_type_code(type_name),
                name=service_type_name(type_name.strip()),
                agency_id=agency_id,
                by_staff=by_staff,
            )
            kind = self.kinds[key] = Kind(agency_id, service_type_id)
        return kind


def agency_code_for(name: str) -> str:
    """A catalog code for an agency the source names but gives no code: its slug, and when that
    is too long, its start and a digest of the whole name, so two long names never share one."""
    slug = slugify(name)
    if len(slug) <= AGENCY_CODE_MAX:
        return slug
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:6]
    return f"{slug[: AGENCY_CODE_MAX - 7].rstrip('-')}-{digest}"


def whole_number(text: str) -> str:
    """`8.0` → `8`: codes a spreadsheet or pandas wrote as floats; other text as it is."""
    text = text.strip()
    match = _FLOAT_WHOLE.match(text)
    return match[1] if match else text


def zipcode(text: str, *, digits: int = 5) -> str:
    """A US ZIP code (or ZIP+4), `` if the text is not one. A float-written code lost its
    leading zeros (`2108.0`): they are put back."""
    text = whole_number(text)
    if text.isdigit() and len(text) < digits:
        text = text.zfill(digits)
    if _US_ZIP.match(text) and len(text) <= ZIP_MAX:
        return text
    return ""


def point(latitude_text: str, longitude_text: str, *, label: str) -> Point | Rejected:
    """A point from its two texts; blank is no point, `0, 0` a placeholder for none."""
    latitude_text, longitude_text = latitude_text.strip(), longitude_text.strip()
    if not (latitude_text or longitude_text):
        return NO_POINT
    try:
        latitude, longitude = float(latitude_text), float(longitude_text)
    except ValueError:
        return Rejected(f"unreadable {label}")
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return Rejected(f"{label} out of range")
    if latitude == 0.0 and longitude == 0.0:
        return NO_POINT
    return Point(latitude, longitude)


def point_in_parentheses(text: str, *, label: str) -> Point | Rejected:
    """`(37.7740, -122.3956)` → a point; blank (or `NA`) is no point."""
    text = text.strip()
    if not text or text == "NA":
        return NO_POINT
    inside = text.removeprefix("(").removesuffix(")")
    latitude, comma, longitude = inside.partition(",")
    if not comma:
        return Rejected(f"unreadable {label}")
    return point(latitude, longitude, label=label)


def address(text: str) -> str:
    """Runs of spaces collapsed (`33 Beacon St  Boston  MA  02108`), cut to fit."""
    return " ".join(text.split())[:ADDRESS_MAX]


def kept(fields: dict[str, str]) -> dict[str, str]:
    """Source fields with the blank ones left out."""
    return {name: value for name, value in fields.items() if value}
