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

from cityline.imports.catalog import AGENCY_CODE_MAX, CatalogCache
from cityline.imports.cityrows import (
    NO_POINT,
    CityCsvFormat,
    KindCache,
    address,
    kept,
    key_max,
    point,
    whole_number,
    zipcode,
)
from cityline.imports.formats.nyc311 import resolution_for
from cityline.imports.pipeline import Rejected
from cityline.imports.registry import register
from cityline.imports.times import TimeParser
from cityline.servicerequests.models import Channel, Resolution, Status
from cityline.servicerequests.services.bulk import HistoricRequest

SOURCE = "boston311"
TRACKING_PREFIX = "BOS-"
BOSTON = ZoneInfo("America/New_York")
_KEY_MAX = key_max(TRACKING_PREFIX)

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
        self.times = TimeParser(BOSTON)

    def parse(self, fields: Record) -> HistoricRequest | Rejected:
        key = whole_number(fields.case_enquiry_id)
        if not key:
            return Rejected("no CASE_ENQUIRY_ID")
        if len(key) > _KEY_MAX:
            return Rejected("CASE_ENQUIRY_ID too long")
        time_of = self.times.parse
        try:
            opened = time_of(fields.open_dt)
        except ValueError:
            return Rejected("unreadable OPEN_DT")
        if opened is None:
            return Rejected("no OPEN_DT")
        try:
            target = time_of(fields.target_dt)
        except ValueError:
            return Rejected("unreadable TARGET_DT")
        try:
            closed_at = time_of(fields.closed_dt)
        except ValueError:
            return Rejected("unreadable CLOSED_DT")
        status = STATUSES.get(fields.case_status.strip().lower())
        if status is None:
            return Rejected(f"unknown CASE_STATUS {fields.case_status.strip()[:40]!r}")
        notes = " ".join(_CLOSED_PREFIX.sub("", fields.closure_reason).split())
        resolution = ""
        if status == Status.CLOSED:
            if closed_at is None:
                return Rejected("Closed without a CLOSED_DT")
            resolution = closure_resolution(notes)
        else:
            closed_at = None
        # 197 cases of 2015 were closed before they were opened: the closing time is kept as
        # written, the last change is never before the request.
        updated_at = max(closed_at or opened, opened)
        if fields.geocoded_location.strip() == NO_LOCATION:
            where = NO_POINT
        else:
            found = point(fields.latitude, fields.longitude, label="LATITUDE/LONGITUDE")
            if isinstance(found, Rejected):
                return found
            where = found
        department = fields.department.strip()
        if not department:
            return Rejected("no Department")
        if len(department) > AGENCY_CODE_MAX:
            return Rejected("Department code too long")
        if not fields.type.strip():
            return Rejected("no TYPE")
        channel = CHANNELS.get(fields.source.strip().lower(), Channel.UNKNOWN.value)
        kind = self.kinds.kind(
            agency_code=department,
            agency_name=DEPARTMENTS.get(department, department),
            type_name=fields.type,
            by_staff=channel == _STAFF,
        )
        return HistoricRequest(
            source=SOURCE,
            source_id=key,
            tracking_number=TRACKING_PREFIX + key,
            service_type_id=kind.service_type_id,
            agency_id=kind.agency_id,
            requested_at=opened,
            updated_at=updated_at,
            status=status,
            resolution=resolution,
            status_notes=notes,
            description=fields.case_title.strip(),
            channel=channel,
            latitude=where.latitude,
            longitude=where.longitude,
            address=address(fields.location or fields.location_street_name),
            zipcode=zipcode(fields.location_zipcode),
            expected_at=target,
            closed_at=closed_at,
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
