"""`cityline import boston311`: Boston's "311 Service Requests" CSV in its 2015 layout.

The layout of data.cityofboston.gov's export (dataset awu8-dc52) before 2019: `CASE_ENQUIRY_ID`,
`OPEN_DT`, `TARGET_DT`, `CLOSED_DT`, `CASE_STATUS`, `CLOSURE_REASON`, `TYPE`, `QUEUE`,
`Department`, `Source`… Times are Boston local time (`01/01/2015 12:20:09 AM`). The city's own
target date is the request's due date. docs/imports.md lists what maps to what.
"""

import re
from collections.abc import Callable
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from cityline.imports.catalog import CatalogCache
from cityline.imports.cityrows import (
    NO_POINT,
    CityCsvFormat,
    CitySource,
    KindCache,
    TimeColumns,
    address,
    agency_code,
    kept,
    looked_up,
    point,
    request_state,
    whole_number,
    zipcode,
)
from cityline.imports.formats.nyc311 import resolution_for
from cityline.imports.pipeline import Rejected
from cityline.imports.registry import register
from cityline.servicerequests.models import Channel, Resolution, Status
from cityline.servicerequests.services.bulk import HistoricRequest

CITY = CitySource("boston311", prefix="BOS-")
BOSTON = ZoneInfo("America/New_York")

STATUSES = {"open": Status.NEW.value, "closed": Status.CLOSED.value}

# Source → ours. Employee Generated, City Worker App and Maximo (the city's asset system)
# requests come from the city itself.
CHANNELS = {
    "constituent call": Channel.PHONE.value,
    "citizens connect app": Channel.MOBILE.value,
    "self service": Channel.WEB.value,
    "employee generated": Channel.STAFF.value,
    "city worker app": Channel.STAFF.value,
    "maximo integration": Channel.STAFF.value,
    "twitter": Channel.SOCIAL.value,
}
_STAFF = Channel.STAFF.value

# Boston's department codes, named as the cases' SUBJECT names them most often; the codes whose
# cases mostly name another department (GEN_, BPS_, HS_D, No Q) keep their code as their name.
DEPARTMENTS = {
    "ANML": "Animal Control",
    "BTDT": "Transportation - Traffic Division",
    "BWSC": "Boston Water & Sewer Commission",
    "CHT_": "City Hall Truck",
    "DISB": "Disability Department",
    "HS_O": "Civil Rights",
    "HS_V": "Veterans",
    "HS_Y": "Youthline",
    "INFO": "Mayor's 24 Hour Hotline",
    "ISD": "Inspectional Services",
    "PARK": "Parks & Recreation Department",
    "PROP": "Property Management",
    "PWDx": "Public Works Department",
}

# Boston geocodes a case it could not place at City Hall and writes its location as `(0, 0)`.
NO_LOCATION = "(0, 0)"

# CLOSURE_REASON after its `Case Closed` prefix: Boston's own closing codes, then NYC's wording
# rules (duplicate, referred, unable to locate…).
_CLOSED_PREFIX = re.compile(r"^\s*case closed[\s.:]*", re.IGNORECASE)
_NO_ACTION = re.compile(
    r"^(case noted|case invalid|novio|nobase|no violation|no basis)", re.IGNORECASE
)
_WARD = re.compile(r"^(?:ward\s*)?0*(\d+)$", re.IGNORECASE)


class Record(NamedTuple):
    case_enquiry_id: str
    open_dt: str
    target_dt: str
    closed_dt: str
    ontime_status: str
    case_status: str
    closure_reason: str
    case_title: str
    subject: str
    reason: str
    type: str
    queue: str
    department: str
    location: str
    fire_district: str
    pwd_district: str
    city_council_district: str
    police_district: str
    neighborhood: str
    neighborhood_services_district: str
    ward: str
    precinct: str
    location_street_name: str
    location_zipcode: str
    latitude: str
    longitude: str
    source: str
    geocoded_location: str


@register
class Boston311Format(CityCsvFormat):
    name = "boston311"
    help = "Boston 311 Service Requests CSV, 2015 layout (OPEN_DT, TARGET_DT…; plain or gzipped)"
    record = Record
    required = ("case_enquiry_id", "open_dt", "case_status", "type", "department")
    described_as = "a Boston 311 file"

    def parser(
        self, *, catalog: CatalogCache, options: dict, present: set[str]
    ) -> Callable[[Any], HistoricRequest | Rejected]:
        return BostonRowParser(catalog).parse


class BostonRowParser:
    def __init__(self, catalog: CatalogCache) -> None:
        self.kinds = KindCache(catalog)
        self.times = TimeColumns(BOSTON)

    def parse(self, fields: Record) -> HistoricRequest | Rejected:
        key = CITY.key(whole_number(fields.case_enquiry_id), column="CASE_ENQUIRY_ID")
        if isinstance(key, Rejected):
            return key
        opened = self.times.required(fields.open_dt, column="OPEN_DT")
        if isinstance(opened, Rejected):
            return opened
        later = self.times.optional(
            (fields.target_dt, "TARGET_DT"), (fields.closed_dt, "CLOSED_DT")
        )
        if isinstance(later, Rejected):
            return later
        target, closed_at = later
        status = looked_up(STATUSES, fields.case_status, column="CASE_STATUS")
        if isinstance(status, Rejected):
            return status
        notes = " ".join(_CLOSED_PREFIX.sub("", fields.closure_reason).split())
        # 197 cases of 2015 were closed before they were opened.
        found = request_state(
            status=status,
            resolution=closure_resolution(notes),
            notes=notes,
            requested_at=opened,
            closed_at=closed_at,
            updated=None,
            unclosed="Closed without a CLOSED_DT",
        )
        if isinstance(found, Rejected):
            return found
        if fields.geocoded_location.strip() == NO_LOCATION:
            where = NO_POINT
        else:
            located = point(fields.latitude, fields.longitude, label="LATITUDE/LONGITUDE")
            if isinstance(located, Rejected):
                return located
            where = located
        department = agency_code(fields.department, column="Department")
        if isinstance(department, Rejected):
            return department
        if not fields.type.strip():
            return Rejected("no TYPE")
        channel = CHANNELS.get(fields.source.strip().lower(), Channel.UNKNOWN.value)
        kind = self.kinds.kind(
            agency_code=department,
            agency_name=DEPARTMENTS.get(department, department),
            type_name=fields.type,
            by_staff=channel == _STAFF,
        )
        return CITY.request(
            key=key,
            kind=kind,
            point=where,
            requested_at=opened,
            state=found,
            description=fields.case_title.strip(),
            channel=channel,
            address=address(fields.location or fields.location_street_name),
            zipcode=zipcode(fields.location_zipcode),
            expected_at=target,
            source_fields=kept(
                {
                    "queue": fields.queue.strip(),
                    "subject": fields.subject.strip(),
                    "reason": fields.reason.strip(),
                    "on_time_status": fields.ontime_status.strip(),
                    "neighborhood": fields.neighborhood.strip(),
                    "city_council_district": council_district(fields.city_council_district),
                    "ward": ward(fields.ward),
                    "precinct": whole_number(fields.precinct),
                    "police_district": fields.police_district.strip(),
                    "fire_district": whole_number(fields.fire_district),
                    "pwd_district": fields.pwd_district.strip(),
                    "neighborhood_services_district": whole_number(
                        fields.neighborhood_services_district
                    ),
                }
            ),
        )


def closure_resolution(notes: str) -> str:
    """The resolution a CLOSURE_REASON (without its `Case Closed`) tells."""
    if _NO_ACTION.match(notes):
        return Resolution.NO_ACTION_NEEDED.value
    return resolution_for(notes)


def ward(text: str) -> str:
    """`Ward 5` and `05` are ward `5`."""
    match = _WARD.match(whole_number(text))
    return match[1] if match else ""


def council_district(text: str) -> str:
    """`8.0` → `8`; `0.0` names no district."""
    district = whole_number(text)
    return "" if district in ("", "0") else district
