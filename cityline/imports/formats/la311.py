"""`cityline import la311`: Los Angeles' "MyLA311 Service Request Data" CSV.

Three layouts are read, told apart by nothing but their header: the 2017 and 2018 exports
(`SRNumber`, `CreatedDate`… CamelCase, times `12/31/2017 11:59:58 PM`; 2018 adds Socrata's
computed-region columns) and the later lower-case one of the city's API (`srnumber`,
`createddate`…, times `2020-01-01 00:05:00`). Times are Los Angeles local time.
docs/imports.md lists what maps to what.
"""

import argparse
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
    agency_code,
    kept,
    looked_up,
    point,
    request_state,
    whole_number,
    zipcode,
)
from cityline.imports.pipeline import Rejected
from cityline.imports.registry import register
from cityline.servicerequests.models import Channel, Resolution, Status
from cityline.servicerequests.services.bulk import HistoricRequest

CITY = CitySource("la311", prefix="LA-")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

_CLOSED = Status.CLOSED.value
# Status → (ours, the resolution of a closed one).
STATUSES = {
    "open": (Status.NEW.value, ""),
    "pending": (Status.ACKNOWLEDGED.value, ""),
    "closed": (_CLOSED, Resolution.COMPLETED.value),
    "cancelled": (_CLOSED, Resolution.CANCELLED.value),
    "referred out": (_CLOSED, Resolution.REFERRED.value),
}

# RequestSource → ours. Driver Self Report is a sanitation crew's own report; a council office
# files for a constituent. Fax and letters have no channel of ours.
CHANNELS = {
    "call": Channel.PHONE.value,
    "voicemail": Channel.PHONE.value,
    "mobile app": Channel.MOBILE.value,
    "self service": Channel.WEB.value,
    "email": Channel.EMAIL.value,
    "walk-in": Channel.WALK_IN.value,
    "twitter": Channel.SOCIAL.value,
    "driver self report": Channel.STAFF.value,
    "council's office": Channel.STAFF.value,
}
_STAFF = Channel.STAFF.value

# Owners (the department that owns the request type) of the files seen.
OWNERS = {
    "BOS": "Bureau of Sanitation",
    "LASAN": "LA Sanitation",
    "OCB": "Office of Community Beautification",
    "BSL": "Bureau of Street Lighting",
    "BSS": "Bureau of Street Services",
    "ITA": "Information Technology Agency",
    "LADWP": "Los Angeles Department of Water and Power",
}


class Record(NamedTuple):
    srnumber: str
    createddate: str
    updateddate: str
    closeddate: str
    servicedate: str
    actiontaken: str
    owner: str
    requesttype: str
    status: str
    requestsource: str
    assignto: str
    address: str
    zipcode: str
    latitude: str
    longitude: str
    apc: str
    cd: str
    nc: str
    ncname: str
    policeprecinct: str


@register
class La311Format(CityCsvFormat):
    name = "la311"
    help = "Los Angeles MyLA311 Service Request Data CSV, 2017 to 2020 layouts (plain or gzipped)"
    record = Record
    required = ("srnumber", "createddate", "owner", "requesttype", "status")
    described_as = "a MyLA311 file"

    def add_format_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--council-district-layer",
            default="council-districts",
            metavar="SLUG",
            help="boundary layer whose codes are the CD column (default council-districts)",
        )
        parser.add_argument(
            "--neighborhood-council-layer",
            default="neighborhood-councils",
            metavar="SLUG",
            help="boundary layer whose codes are the NC column (default neighborhood-councils)",
        )

    def parser(
        self, *, catalog: CatalogCache, options: dict, present: set[str]
    ) -> Callable[[Any], HistoricRequest | Rejected]:
        return LaRowParser(
            catalog,
            council_district_layer=options.get("council_district_layer") or "council-districts",
            neighborhood_council_layer=options.get("neighborhood_council_layer")
            or "neighborhood-councils",
        ).parse


class LaRowParser:
    def __init__(
        self, catalog: CatalogCache, *, council_district_layer: str, neighborhood_council_layer: str
    ) -> None:
        self.kinds = KindCache(catalog)
        self.times = TimeColumns(LOS_ANGELES)
        self.council_district_layer = council_district_layer
        self.neighborhood_council_layer = neighborhood_council_layer

    def parse(self, fields: Record) -> HistoricRequest | Rejected:
        key = CITY.key(fields.srnumber.strip(), column="SRNumber")
        if isinstance(key, Rejected):
            return key
        created = self.times.required(fields.createddate, column="CreatedDate")
        if isinstance(created, Rejected):
            return created
        later = self.times.optional(
            (fields.updateddate, "UpdatedDate"), (fields.closeddate, "ClosedDate")
        )
        if isinstance(later, Rejected):
            return later
        updated, closed_at = later
        status = looked_up(STATUSES, fields.status, column="Status")
        if isinstance(status, Rejected):
            return status
        # A few closed requests lack a ClosedDate: their last update closed them. Some were
        # closed before they were created.
        found = request_state(
            status=status[0],
            resolution=status[1],
            notes="",
            requested_at=created,
            closed_at=closed_at,
            updated=updated,
            unclosed="Closed without a ClosedDate or UpdatedDate",
        )
        if isinstance(found, Rejected):
            return found
        where = point(fields.latitude, fields.longitude, label="Latitude/Longitude")
        if isinstance(where, Rejected):
            return where
        owner = agency_code(fields.owner, column="Owner")
        if isinstance(owner, Rejected):
            return owner
        if not fields.requesttype.strip():
            return Rejected("no RequestType")
        channel = CHANNELS.get(fields.requestsource.strip().lower(), Channel.UNKNOWN.value)
        kind = self.kinds.kind(
            agency_code=owner,
            agency_name=OWNERS.get(owner, owner),
            type_name=fields.requesttype,
            by_staff=channel == _STAFF,
        )
        council_district = whole_number(fields.cd)
        neighborhood_council = whole_number(fields.nc)
        return CITY.request(
            key=key,
            kind=kind,
            point=where,
            requested_at=created,
            state=found,
            channel=channel,
            address=address(fields.address),
            zipcode=zipcode(fields.zipcode),
            source_fields=kept(
                {
                    "council_district": council_district,
                    "neighborhood_council": neighborhood_council,
                    "neighborhood_council_name": fields.ncname.strip(),
                    "area_planning_commission": fields.apc.strip(),
                    "police_precinct": fields.policeprecinct.strip(),
                    "assigned_to": fields.assignto.strip(),
                    "service_date": fields.servicedate.strip(),
                    "request_source": fields.requestsource.strip(),
                }
            ),
            stated_areas={
                self.council_district_layer: council_district,
                self.neighborhood_council_layer: neighborhood_council,
            },
        )
