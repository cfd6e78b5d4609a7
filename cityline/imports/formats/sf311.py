"""`cityline import sf311`: DataSF's "Case Data from San Francisco 311 (SF311)" CSV.

Columns are read by name whatever their spelling (`Responsible Agency`, R's
`Responsible.Agency`); a missing value may be written `NA`. Times are San Francisco local time,
`04/30/2014 02:51:52 PM` or ISO `2012-12-04 15:21:00`. The point is `Lat`/`Long` when the file
has them, else the `Point` column `(37.7740, -122.3956)`. docs/imports.md lists what maps to what.
"""

import re
from collections.abc import Callable
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from cityline.imports.catalog import CatalogCache
from cityline.imports.cityrows import (
    CityCsvFormat,
    CitySource,
    KindCache,
    TimeColumns,
    address,
    agency_code_for,
    kept,
    looked_up,
    point,
    point_in_parentheses,
    request_state,
    whole_number,
    zipcode,
)
from cityline.imports.formats.nyc311 import resolution_for
from cityline.imports.pipeline import Rejected
from cityline.imports.registry import register
from cityline.servicerequests.models import Channel, Resolution, Status
from cityline.servicerequests.services.bulk import HistoricRequest

CITY = CitySource("sf311", prefix="SF-")
SAN_FRANCISCO = ZoneInfo("America/Los_Angeles")

STATUSES = {"open": Status.NEW.value, "closed": Status.CLOSED.value}

# Source → ours. Open311 is an app or site filing through SF311's Open311 server; Integrated
# Agency and Other Department are city departments' own systems. Mail has no channel of ours.
CHANNELS = {
    "voice in": Channel.PHONE.value,
    "web self service": Channel.WEB.value,
    "open311": Channel.OPEN311.value,
    "twitter": Channel.SOCIAL.value,
    "e-mail in": Channel.EMAIL.value,
    "integrated agency": Channel.STAFF.value,
    "other department": Channel.STAFF.value,
}
_STAFF = Channel.STAFF.value

# SF311's closing wordings that say nothing had to be done, before NYC's wording rules.
_NO_ACTION = re.compile(r"case is invalid|gone on arrival|no merit", re.IGNORECASE)
# The city, state and ZIP code SF311 ends each address with.
_ADDRESS_ZIP = re.compile(r",\s*CA,?\s*(\d{5})\s*$")


class Record(NamedTuple):
    caseid: str
    opened: str
    closed: str
    updated: str
    status: str
    status_notes: str
    responsible_agency: str
    category: str
    request_type: str
    request_details: str
    address: str
    supervisor_district: str
    neighborhood: str
    point: str
    source: str
    media_url: str
    lat: str
    long: str
    zip: str


def _text(value: str) -> str:
    """A cell's text, `` for R's `NA`."""
    value = value.strip()
    return "" if value == "NA" else value


@register
class Sf311Format(CityCsvFormat):
    name = "sf311"
    help = "San Francisco SF311 Case Data CSV (plain or gzipped)"
    record = Record
    required = ("caseid", "opened", "status", "responsible_agency", "category")
    described_as = "an SF311 file"

    def parser(
        self, *, catalog: CatalogCache, options: dict, present: set[str]
    ) -> Callable[[Any], HistoricRequest | Rejected]:
        return SfRowParser(catalog).parse


class SfRowParser:
    def __init__(self, catalog: CatalogCache) -> None:
        self.kinds = KindCache(catalog)
        self.times = TimeColumns(SAN_FRANCISCO)

    def parse(self, fields: Record) -> HistoricRequest | Rejected:
        key = CITY.key(whole_number(_text(fields.caseid)), column="CaseID")
        if isinstance(key, Rejected):
            return key
        opened = self.times.required(_text(fields.opened), column="Opened")
        if isinstance(opened, Rejected):
            return opened
        later = self.times.optional(
            (_text(fields.closed), "Closed"), (_text(fields.updated), "Updated")
        )
        if isinstance(later, Rejected):
            return later
        closed_at, updated = later
        status = looked_up(STATUSES, fields.status, column="Status")
        if isinstance(status, Rejected):
            return status
        notes = _text(fields.status_notes)
        # 129 of the sample's cases were closed before they were opened.
        found = request_state(
            status=status,
            resolution=closing_resolution(notes),
            notes=notes,
            requested_at=opened,
            closed_at=closed_at,
            updated=updated,
            unclosed="Closed without a Closed or Updated time",
        )
        if isinstance(found, Rejected):
            return found
        if _text(fields.lat) or _text(fields.long):
            where = point(_text(fields.lat), _text(fields.long), label="Lat/Long")
        else:
            where = point_in_parentheses(fields.point, label="Point")
        if isinstance(where, Rejected):
            return where
        queue = _text(fields.responsible_agency)
        if not queue:
            return Rejected("no Responsible Agency")
        category = _text(fields.category)
        if not category:
            return Rejected("no Category")
        channel = CHANNELS.get(fields.source.strip().lower(), Channel.UNKNOWN.value)
        kind = self.kinds.kind(
            agency_code=agency_code_for(queue),
            agency_name=queue,
            type_name=category,
            by_staff=channel == _STAFF,
        )
        place = _text(fields.address)
        zip_text = _text(fields.zip)
        if not zip_text:
            written = _ADDRESS_ZIP.search(place)
            zip_text = written[1] if written else ""
        return CITY.request(
            key=key,
            kind=kind,
            point=where,
            requested_at=opened,
            state=found,
            description=_text(fields.request_details),
            channel=channel,
            address=address(place),
            zipcode=zipcode(zip_text),
            source_fields=kept(
                {
                    "request_type": _text(fields.request_type),
                    "supervisor_district": whole_number(_text(fields.supervisor_district)),
                    "neighborhood": _text(fields.neighborhood),
                    "media_url": _text(fields.media_url),
                }
            ),
        )


def closing_resolution(notes: str) -> str:
    """The resolution a closed case's Status Notes tell."""
    if _NO_ACTION.search(notes):
        return Resolution.NO_ACTION_NEEDED.value
    return resolution_for(notes)
