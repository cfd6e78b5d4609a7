"""`cityline import nyc311`: NYC Open Data's "311 Service Requests" CSV (dataset erm2-nwe9).

Three layouts are read, told apart by their header, never by position: the 2013-era export
(52 columns, no Resolution Description or Open Data Channel Type), today's export (41 columns),
and copies whose column names were snake-cased (`unique_key`, `created_date`, …). Times are New
York local time, written `05/01/2022 12:00:03 AM` or ISO `2024-12-31 09:24:11` (a date alone
means midnight). docs/imports.md lists what maps to what.
"""

import argparse
import functools
import operator
import re
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from cityline.core.models import max_length_of
from cityline.imports.catalog import (
    CatalogCache,
    service_type_code,
    service_type_name,
)
from cityline.imports.cityrows import (
    CitySource,
    Kind,
    State,
    TimeColumns,
    agency_code,
    column_key,
    kept,
    point,
    request_state,
)
from cityline.imports.pipeline import Rejected
from cityline.imports.registry import register
from cityline.imports.requestfiles import RequestFileFormat
from cityline.imports.streams import ImportFileError, SourceFile, csv_records
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
from cityline.servicerequests.services.bulk import HistoricRequest

CITY = CitySource("nyc311", prefix="NYC-")
NEW_YORK = ZoneInfo("America/New_York")

# The columns a file must have; `Record` names every column read.
REQUIRED = ("unique_key", "created_date", "agency", "complaint_type", "status")

# NYC status → ours. None: not said; the request is closed if it has a Closed Date, else new.
# Here and below, choices are plain text, not enum members: they hash and bind several times faster.
STATUSES: dict[str, str | None] = {
    "open": Status.NEW.value,
    "draft": Status.NEW.value,
    "assigned": Status.ACKNOWLEDGED.value,
    "pending": Status.ACKNOWLEDGED.value,
    "email sent": Status.ACKNOWLEDGED.value,
    "started": Status.IN_PROGRESS.value,
    "in progress": Status.IN_PROGRESS.value,
    "closed": Status.CLOSED.value,
    "cancel": Status.CLOSED.value,
    "cancelled": Status.CLOSED.value,
    "canceled": Status.CLOSED.value,
    "unspecified": None,
    "": None,
}
CANCELLED_STATUSES = frozenset({"cancel", "cancelled", "canceled"})
_NEW, _CLOSED = Status.NEW.value, Status.CLOSED.value
_COMPLETED, _CANCELLED = Resolution.COMPLETED.value, Resolution.CANCELLED.value

# Open Data Channel Type → ours. OTHER is a request entered by an agency or another system.
CHANNELS = {
    "PHONE": Channel.PHONE.value,
    "ONLINE": Channel.WEB.value,
    "MOBILE": Channel.MOBILE.value,
    "OTHER": Channel.STAFF.value,
    "UNKNOWN": Channel.UNKNOWN.value,
    "": Channel.UNKNOWN.value,
}
_UNKNOWN_CHANNEL, _STAFF_CHANNEL = Channel.UNKNOWN.value, Channel.STAFF.value

# The resolution a closed request gets from its Resolution Description, first match wins.
RESOLUTION_WORDING = [
    (Resolution.DUPLICATE, r"duplicate"),
    (Resolution.CANCELLED, r"cancell?ed|withdr[ae]wn"),
    (
        Resolution.REFERRED,
        r"referred|forwarded|transferred|does not fall under|jurisdiction",
    ),
    (
        Resolution.UNABLE_TO_LOCATE,
        r"(could not|unable to|not able to) (locate|find|gain (access|entry))"
        r"|address was invalid|invalid address|\bno \w+( \w+)? (was|were) found|was not found",
    ),
    (
        Resolution.NO_ACTION_NEEDED,
        r"no (further )?action was (necessary|needed|required)|not necessary|no evidence"
        r"|did not violate|no violations? (was|were) (issued|observed|found)|were gone"
        r"|addressed under",
    ),
]
_RESOLUTION_PATTERN = re.compile(
    "|".join(f"(?P<{code}>{pattern})" for code, pattern in RESOLUTION_WORDING), re.IGNORECASE
)

# Borough → the code of NYC's borough boundaries (BoroCode), and the hundreds of BoroCD.
BOROUGHS = {"MANHATTAN": 1, "BRONX": 2, "BROOKLYN": 3, "QUEENS": 4, "STATEN ISLAND": 5}
_COMMUNITY_BOARD = re.compile(r"^(\d{1,2}) (MANHATTAN|BRONX|BROOKLYN|QUEENS|STATEN ISLAND)$")

_ADDRESS_MAX = max_length_of(ServiceRequest, "address")
_ZIP_MAX = max_length_of(ServiceRequest, "zipcode")
_US_ZIP = re.compile(r"^\d{5}(-?\d{4})?$")


@register
class Nyc311Format(RequestFileFormat):
    name = "nyc311"
    help = "NYC Open Data 311 Service Requests CSV (plain or gzipped)"

    def add_format_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--community-district-layer",
            default="community-districts",
            metavar="SLUG",
            help="boundary layer whose codes are BoroCD (default community-districts)",
        )
        parser.add_argument(
            "--borough-layer",
            default="boroughs",
            metavar="SLUG",
            help="boundary layer whose codes are BoroCode (default boroughs)",
        )

    def rows(
        self, *, source: SourceFile, options: dict, catalog: CatalogCache
    ) -> Iterator[tuple[int, HistoricRequest | Rejected]]:
        records = csv_records(source)
        first = next(records, None)
        if first is None or isinstance(first[1], str):
            raise ImportFileError(f"{source.path}: no CSV header")
        parser = Nyc311RowParser(
            header=first[1],
            catalog=catalog,
            community_district_layer=options.get("community_district_layer")
            or "community-districts",
            borough_layer=options.get("borough_layer") or "boroughs",
        )
        missing = parser.missing_columns()
        if missing:
            names = ", ".join(key.replace("_", " ").title() for key in missing)
            raise ImportFileError(f"{source.path}: not a NYC 311 file, no column {names}")
        return self._parsed(records, parser)

    @staticmethod
    def _parsed(records, parser: "Nyc311RowParser"):
        parse = parser.parse
        for line, record in records:
            if isinstance(record, str):
                yield line, Rejected(record)
            else:
                yield line, parse(record)


class Record(NamedTuple):
    """The fields of one CSV record that are read, by column key ("" where the file lacks it)."""

    unique_key: str
    created_date: str
    agency: str
    complaint_type: str
    status: str
    closed_date: str
    agency_name: str
    descriptor: str
    incident_zip: str
    incident_address: str
    intersection_street_1: str
    intersection_street_2: str
    due_date: str
    resolution_description: str
    resolution_action_updated_date: str
    community_board: str
    borough: str
    open_data_channel_type: str
    latitude: str
    longitude: str


class Times(NamedTuple):
    requested_at: datetime
    closed_at: datetime | None
    expected_at: datetime | None
    action_at: datetime | None


class Place(NamedTuple):
    address: str
    zipcode: str
    source_fields: dict[str, str]
    stated_areas: dict[str, str]


class Nyc311RowParser:
    """Turns one CSV record of a given header into a HistoricRequest, or says why not.

    `parse` reads a record in named steps, each returning a named tuple or the Rejected reason
    that stops the row: its times, its state (status, resolution, closing and update times), its
    point, its kind (agency and service type) and its place (address, zipcode, districts).
    """

    def __init__(
        self,
        *,
        header: list[str],
        catalog: CatalogCache,
        community_district_layer: str,
        borough_layer: str,
    ) -> None:
        keys = [column_key(name) for name in header]
        self.width = len(keys)
        position = {key: i for i, key in reversed(list(enumerate(keys)))}
        self.present = set(position)
        # A column the file lacks reads as the empty string appended after the last field.
        self.index = {key: position.get(key, self.width) for key in Record._fields}
        self.catalog = catalog
        self.community_district_layer = community_district_layer
        self.borough_layer = borough_layer
        self.times = TimeColumns(NEW_YORK)
        self.fields = operator.itemgetter(*(self.index[key] for key in Record._fields))
        # Small caches of values that repeat row after row.
        self.kinds: dict[tuple[str, str, str], Kind] = {}
        self.places: dict[tuple[str, str], tuple[dict, dict]] = {}
        self.zipcodes: dict[str, str] = {}

    def missing_columns(self) -> list[str]:
        return [key for key in REQUIRED if key not in self.present]

    def parse(self, record: list[str]) -> HistoricRequest | Rejected:
        if len(record) != self.width:
            return Rejected(f"wrong number of fields ({len(record)}, header has {self.width})")
        record.append("")
        fields = Record._make(self.fields(record))
        key = CITY.key(fields.unique_key.strip(), column="Unique Key")
        if isinstance(key, Rejected):
            return key
        times = self._times(fields)
        if isinstance(times, Rejected):
            return times
        state = self._state(fields, times)
        if isinstance(state, Rejected):
            return state
        where = point(fields.latitude, fields.longitude, label="Latitude/Longitude")
        if isinstance(where, Rejected):
            return where
        channel = _channel(fields.open_data_channel_type)
        kind = self._kind(fields, channel)
        if isinstance(kind, Rejected):
            return kind
        place = self._place(fields)
        return CITY.request(
            key=key,
            kind=kind,
            point=where,
            requested_at=times.requested_at,
            state=state,
            description=fields.descriptor.strip(),
            channel=channel,
            address=place.address,
            zipcode=place.zipcode,
            expected_at=times.expected_at,
            source_fields=place.source_fields,
            stated_areas=place.stated_areas,
        )

    def _times(self, fields: Record) -> Times | Rejected:
        requested_at = self.times.required(fields.created_date, column="Created Date")
        if isinstance(requested_at, Rejected):
            return requested_at
        later = self.times.optional(
            (fields.closed_date, "Closed Date"),
            (fields.due_date, "Due Date"),
            (fields.resolution_action_updated_date, "Resolution Action Updated Date"),
        )
        if isinstance(later, Rejected):
            return later
        return Times(requested_at, *later)

    @staticmethod
    def _state(fields: Record, times: Times) -> State | Rejected:
        """Status and resolution, and the times they imply: a closed request's closing time (its
        Closed Date, else its last action), and the time of its last change, never before it was
        made."""
        status_text = fields.status
        status_key = status_text.strip().lower()
        if status_key not in STATUSES:
            return Rejected(f"unknown Status {status_text.strip()[:40]!r}")
        status = STATUSES[status_key]
        closed_at = times.closed_at
        if status is None:
            status = _CLOSED if closed_at is not None else _NEW
        notes = fields.resolution_description.strip()
        return request_state(
            status=status,
            resolution=_CANCELLED if status_key in CANCELLED_STATUSES else resolution_for(notes),
            notes=notes,
            requested_at=times.requested_at,
            closed_at=closed_at,
            updated=times.action_at,
            unclosed="Closed without a Closed Date",
        )

    def _kind(self, fields: Record, channel: str) -> Kind | Rejected:
        """The (agency, service type) ids of a row, looked up once per agency, type and channel."""
        kind = self.kinds.get((fields.agency, fields.complaint_type, channel))
        if kind is None:
            return self._kind_made(
                fields.agency, fields.agency_name, fields.complaint_type, channel
            )
        return kind

    def _place(self, fields: Record) -> Place:
        address = fields.incident_address.strip()
        if not address:
            street_1 = fields.intersection_street_1.strip()
            street_2 = fields.intersection_street_2.strip()
            if street_1 and street_2:
                address = f"{street_1} & {street_2}"
        board_text, borough_text = fields.community_board, fields.borough
        districts = self.places.get((board_text, borough_text)) or self._places(
            board_text, borough_text
        )
        zip_text = fields.incident_zip
        zipcode = self.zipcodes.get(zip_text)
        if zipcode is None:
            zipcode = self.zipcodes[zip_text] = _zipcode(zip_text)
            if len(self.zipcodes) > 10_000:
                self.zipcodes.clear()
        return Place(address[:_ADDRESS_MAX], zipcode, districts[0], districts[1])

    def _kind_made(
        self, agency_text: str, agency_name: str, type_name: str, channel: str
    ) -> Kind | Rejected:
        """The (agency, service type) ids of a row, creating them on first sight."""
        code = agency_code(agency_text, column="Agency")
        if isinstance(code, Rejected):
            return code
        type_code = service_type_code(type_name)
        if not type_code:
            return Rejected("no Complaint Type")
        agency_id = self.catalog.agency_id(code=code, name=agency_name.strip())
        service_type_id = self.catalog.service_type_id(
            code=type_code,
            name=service_type_name(type_name.strip()),
            agency_id=agency_id,
            by_staff=channel == _STAFF_CHANNEL,
        )
        kind = Kind(agency_id, service_type_id)
        self.kinds[(agency_text, type_name, channel)] = kind
        return kind

    def _places(self, board_text: str, borough_text: str) -> tuple[dict, dict]:
        """The source fields and stated areas of a Community Board and Borough pair (shared,
        read-only).

        `12 MANHATTAN` is BoroCD 112 in borough 1; `0 Unspecified`, `Unspecified QUEENS` and the
        like name no board.
        """
        board_name = " ".join(board_text.split()).upper()
        match = _COMMUNITY_BOARD.match(board_name)
        board_code = ""
        borough = borough_text.strip().upper()
        if match and int(match[1]) > 0:
            board_code = str(BOROUGHS[match[2]] * 100 + int(match[1]))
            board_name = f"{int(match[1]):02d} {match[2]}"
            if borough not in BOROUGHS:
                borough = match[2]
        else:
            board_name = ""
        if borough not in BOROUGHS:
            borough = ""
        fields = {"community_board": board_name, "borough": borough}
        places = (
            kept(fields),
            {
                self.community_district_layer: board_code,
                self.borough_layer: str(BOROUGHS[borough]) if borough else "",
            },
        )
        if len(self.places) < 10_000:
            self.places[(board_text, borough_text)] = places
        return places


def _channel(text: str) -> str:
    channel = CHANNELS.get(text) or CHANNELS.get(text.strip().upper())
    return _UNKNOWN_CHANNEL if channel is None else channel


@functools.lru_cache(maxsize=4096)
def resolution_for(notes: str) -> str:
    """The resolution a closed request's Resolution Description tells; `completed` if none."""
    match = _RESOLUTION_PATTERN.search(notes)
    return match.lastgroup if match and match.lastgroup else _COMPLETED


def _zipcode(text: str) -> str:
    text = text.strip()
    if text.endswith(".0"):  # written as a float by a spreadsheet or pandas
        text = text[:-2]
    if _US_ZIP.match(text) and len(text) <= _ZIP_MAX:
        return text
    return ""
