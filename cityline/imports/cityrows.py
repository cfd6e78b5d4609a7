"""What the CSV formats of other cities' 311 systems share (Boston, San Francisco, Los Angeles).

A format names the columns it reads in a NamedTuple of column keys, and a parser that turns one
such record into a HistoricRequest or the Rejected reason; `CityCsvFormat` does the rest: the
header check, records of the wrong width, and the (line, row) stream the pipeline stores.
"""

import hashlib
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from django.utils.text import slugify

from cityline.core.models import max_length_of
from cityline.imports.catalog import (
    AGENCY_CODE_MAX,
    CatalogCache,
    service_type_code,
    service_type_name,
)
from cityline.imports.formats.nyc311 import column_key
from cityline.imports.pipeline import Rejected
from cityline.imports.requestfiles import RequestFileFormat
from cityline.imports.streams import ImportFileError, SourceFile, csv_records
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.services.bulk import HistoricRequest

ADDRESS_MAX = max_length_of(ServiceRequest, "address")
ZIP_MAX = max_length_of(ServiceRequest, "zipcode")
_US_ZIP = re.compile(r"^\d{5}(-?\d{4})?$")
_FLOAT_WHOLE = re.compile(r"^(-?\d+)\.0+$")


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


NO_POINT = Point(None, None)


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
