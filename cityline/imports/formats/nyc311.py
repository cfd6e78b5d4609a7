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
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cityline.core.models import max_length_of
from cityline.imports.catalog import (
    AGENCY_CODE_MAX,
    CatalogCache,
    service_type_code,
    service_type_name,
)
from cityline.imports.pipeline import Rejected
from cityline.imports.registry import register
from cityline.imports.requestfiles import RequestFileFormat
from cityline.imports.streams import ImportFileError, SourceFile, csv_records
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
from cityline.servicerequests.services.bulk import HistoricRequest

SOURCE = "nyc311"
NEW_YORK = ZoneInfo("America/New_York")

REQUIRED = ("unique_key", "created_date", "agency", "complaint_type", "status")
OPTIONAL = (
    "closed_date",
    "agency_name",
    "descriptor",
    "incident_zip",
    "incident_address",
    "intersection_street_1",
    "intersection_street_2",
    "due_date",
    "resolution_description",
    "resolution_action_updated_date",
    "community_board",
    "borough",
    "open_data_channel_type",
    "latitude",
    "longitude",
)
_FIELDS = (*REQUIRED, *OPTIONAL)

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

_UNSEEN = object()
TRACKING_PREFIX = "NYC-"
_KEY_MAX = min(
    max_length_of(ServiceRequest, "source_id"),
    max_length_of(ServiceRequest, "tracking_number") - len(TRACKING_PREFIX),
)
_ADDRESS_MAX = max_length_of(ServiceRequest, "address")
_ZIP_MAX = max_length_of(ServiceRequest, "zipcode")
_US_ZIP = re.compile(r"^\d{5}(-?\d{4})?$")


def column_key(name: str) -> str:
    """`X Coordinate (State Plane)` and `x_coordinate_state_plane` are the same column."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


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


class Nyc311RowParser:
    """Turns one CSV record of a given header into a HistoricRequest, or says why not."""

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
        self.index = {key: position.get(key, self.width) for key in (*REQUIRED, *OPTIONAL)}
        self.catalog = catalog
        self.community_district_layer = community_district_layer
        self.borough_layer = borough_layer
        self.times = TimeParser(NEW_YORK)
        self.fields = operator.itemgetter(*(self.index[key] for key in _FIELDS))
        # Small caches of values that repeat row after row.
        self.kinds: dict[tuple[str, str, str], tuple[int, int]] = {}
        self.places: dict[tuple[str, str], tuple[dict, dict]] = {}
        self.zipcodes: dict[str, str] = {}

    def missing_columns(self) -> list[str]:
        return [key for key in REQUIRED if key not in self.present]

    def parse(self, record: list[str]) -> HistoricRequest | Rejected:
        if len(record) != self.width:
            return Rejected(f"wrong number of fields ({len(record)}, header has {self.width})")
        record.append("")
        (
            key,
            created_text,
            agency_code,
            type_name,
            status_text,
            closed_text,
            agency_name,
            descriptor,
            zip_text,
            address,
            street_1,
            street_2,
            due_text,
            notes,
            action_text,
            board_text,
            borough_text,
            channel_text,
            latitude_text,
            longitude_text,
        ) = self.fields(record)
        key = key.strip()
        if not key:
            return Rejected("no Unique Key")
        if len(key) > _KEY_MAX:
            return Rejected("Unique Key too long")

        time_of = self.times.parse
        try:
            requested_at = time_of(created_text)
        except ValueError:
            return Rejected("unreadable Created Date")
        if requested_at is None:
            return Rejected("no Created Date")
        try:
            closed_at = time_of(closed_text)
        except ValueError:
            return Rejected("unreadable Closed Date")
        try:
            expected_at = time_of(due_text)
        except ValueError:
            return Rejected("unreadable Due Date")
        try:
            action_at = time_of(action_text)
        except ValueError:
            return Rejected("unreadable Resolution Action Updated Date")

        status_key = status_text.strip().lower()
        if status_key not in STATUSES:
            return Rejected(f"unknown Status {status_text.strip()[:40]!r}")
        status = STATUSES[status_key]
        if status is None:
            status = _CLOSED if closed_at is not None else _NEW
        notes = notes.strip()
        resolution = ""
        if status == _CLOSED:
            closed_at = closed_at or action_at
            if closed_at is None:
                return Rejected("Closed without a Closed Date")
            cancelled = status_key in CANCELLED_STATUSES
            resolution = _CANCELLED if cancelled else resolution_for(notes)
        else:
            closed_at = None
        updated_at = action_at or closed_at or requested_at
        if updated_at < requested_at:
            updated_at = requested_at

        latitude = longitude = None
        if latitude_text or longitude_text:
            try:
                latitude, longitude = float(latitude_text), float(longitude_text)
            except ValueError:
                if latitude_text.strip() or longitude_text.strip():
                    return Rejected("unreadable Latitude/Longitude")
                latitude = longitude = None
            else:
                if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
                    return Rejected("Latitude/Longitude out of range")
                if latitude == 0.0 and longitude == 0.0:  # a placeholder, not a place
                    latitude = longitude = None

        channel = CHANNELS.get(channel_text) or CHANNELS.get(channel_text.strip().upper())
        if channel is None:
            channel = _UNKNOWN_CHANNEL
        kind = self.kinds.get((agency_code, type_name, channel))
        if kind is None:
            made = self._kind(agency_code, agency_name, type_name, channel)
            if isinstance(made, Rejected):
                return made
            kind = made
        agency_id, service_type_id = kind

        address = address.strip()
        if not address:
            street_1, street_2 = street_1.strip(), street_2.strip()
            if street_1 and street_2:
                address = f"{street_1} & {street_2}"
        places = self.places.get((board_text, borough_text)) or self._places(
            board_text, borough_text
        )
        zipcode = self.zipcodes.get(zip_text)
        if zipcode is None:
            zipcode = self.zipcodes[zip_text] = _zipcode(zip_text)
            if len(self.zipcodes) > 10_000:
                self.zipcodes.clear()
        return HistoricRequest(
            source=SOURCE,
            source_id=key,
            tracking_number=TRACKING_PREFIX + key,
            service_type_id=service_type_id,
            agency_id=agency_id,
            requested_at=requested_at,
            updated_at=updated_at,
            status=status,
            resolution=resolution,
            status_notes=notes,
            description=descriptor.strip(),
            channel=channel,
            latitude=latitude,
            longitude=longitude,
            address=address[:_ADDRESS_MAX],
            zipcode=zipcode,
            expected_at=expected_at,
            closed_at=closed_at,
            source_fields=places[0],
            stated_areas=places[1],
        )

    def _kind(
        self, agency_code: str, agency_name: str, type_name: str, channel: str
    ) -> tuple[int, int] | Rejected:
        """The (agency, service type) ids of a row, creating them on first sight."""
        code = agency_code.strip()
        if not code:
            return Rejected("no Agency")
        if len(code) > AGENCY_CODE_MAX:
            return Rejected("Agency code too long")
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
        kind = (agency_id, service_type_id)
        self.kinds[(agency_code, type_name, channel)] = kind
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
            {name: value for name, value in fields.items() if value},
            {
                self.community_district_layer: board_code,
                self.borough_layer: str(BOROUGHS[borough]) if borough else "",
            },
        )
        if len(self.places) < 10_000:
            self.places[(board_text, borough_text)] = places
        return places


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


# `MM:SS` → its time past the hour: a lookup and an addition are several times cheaper than
# datetime.replace().
_PAST_THE_HOUR = {
    f"{minute:02d}:{second:02d}": timedelta(minutes=minute, seconds=second)
    for minute in range(60)
    for second in range(60)
}


def _past_the_hour(text: str) -> timedelta:
    """The minutes and seconds of `… HH:MM:SS…` as written at the 15th to 19th characters."""
    past = _PAST_THE_HOUR.get(text[14:19])
    if past is None:
        raise ValueError(text)
    return past


class TimeParser:
    """Local wall-clock text → aware UTC datetime, fast: parsed by slicing, not strptime.

    New York's offsets are whole hours, so the zone's arithmetic is done once per local hour:
    the text before a time's minutes (`2024-12-31 09`, `05/01/2022 12` with its ` AM`) names
    the hour, remembered as its UTC time, and a later time of the same hour costs a lookup and
    its minutes and seconds. Other texts that repeat (closing dates, midnights) are parsed once
    while the cache lasts.
    """

    CACHE_SIZE = 50_000
    # Lengths of `2024-12-31 09:24:11`, its `.0` and `.000` forms, and `05/01/2022 12:00:03 AM`.
    CLOCK_SIZES = frozenset({19, 21, 22, 23})

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.hours: dict[str, datetime] = {}
        self.texts: dict[str, datetime | None] = {"": None}

    # No 311 request was made before 1900, and a time near the ends of the calendar could not be
    # shown in every time zone.
    YEARS = range(1900, 3000)

    def parse(self, text: str) -> datetime | None:
        """None for an empty cell; ValueError for text that is not a plausible time."""
        found = self.texts.get(text, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        if len(text) in self.CLOCK_SIZES and text[13] == ":":
            hour = self.hours.get(text[:13] + text[19:])
            past = _PAST_THE_HOUR.get(text[14:19])
            if hour is not None and past is not None:
                return hour + past
        found = self._plausible(text.strip()) if text.strip() else None
        if len(self.texts) >= self.CACHE_SIZE:
            self.texts = {"": None}
        self.texts[text] = found
        return found

    def _plausible(self, text: str) -> datetime:
        try:
            return self._parse(text)
        except OverflowError:
            raise ValueError(text) from None

    def _parse(self, text: str) -> datetime:
        size = len(text)
        if size == 22 and text[2] == "/" and text[5] == "/":  # 05/01/2022 12:00:03 AM
            hour = int(text[11:13])
            if not 1 <= hour <= 12:
                raise ValueError(text)
            marker = text[20:22].upper()
            if marker == "PM":
                hour = hour % 12 + 12
            elif marker == "AM":
                hour = hour % 12
            else:
                raise ValueError(text)
            return self._hour(
                text[:13] + text[19:], int(text[6:10]), int(text[0:2]), int(text[3:5]), hour
            ) + _past_the_hour(text)
        if size >= 19 and text[4] == "-" and text[10] in " T" and text[13] == ":":  # ISO
            if size == 19 or text[19:] in (".000", ".0"):
                return self._hour(
                    text[:13] + text[19:],
                    int(text[0:4]),
                    int(text[5:7]),
                    int(text[8:10]),
                    int(text[11:13]),
                ) + _past_the_hour(text)
            return self._iso(text)
        if size == 10 and text[4] == "-":  # 2025-05-29
            return self._hour(text, int(text[0:4]), int(text[5:7]), int(text[8:10]), 0)
        if size == 10 and text[2] == "/":  # 05/29/2025
            return self._hour(text, int(text[6:10]), int(text[0:2]), int(text[3:5]), 0)
        return self._iso(text)

    def _hour(self, key: str, year: int, month: int, day: int, hour: int) -> datetime:
        """The UTC time of a whole local hour, remembered under the text that names it."""
        found = self.hours.get(key)
        if found is None:
            found = datetime(year, month, day, hour, tzinfo=self.zone).astimezone(UTC)
            if found.year not in self.YEARS:
                raise ValueError(key)
            if len(self.hours) > 100_000:
                self.hours.clear()
            self.hours[key] = found
        return found

    def _iso(self, text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        moment = moment.astimezone(UTC)
        if moment.year not in self.YEARS:
            raise ValueError(text)
        return moment
