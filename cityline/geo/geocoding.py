"""Geocoding behind one small interface, so a city can plug in its own service.

The default looks addresses up in the local address-point table; `CITYLINE_GEOCODER` names another
class with the same two methods.
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import h3
from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from cityline.geo.cells import h3_cell, h3_neighbourhood
from cityline.geo.models import AddressPoint

_ABBREVIATIONS = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "BOULEVARD": "BLVD",
    "ROAD": "RD",
    "DRIVE": "DR",
    "PLACE": "PL",
    "LANE": "LN",
    "COURT": "CT",
    "PARKWAY": "PKWY",
    "TERRACE": "TER",
    "SQUARE": "SQ",
    "HIGHWAY": "HWY",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
}


@dataclass(frozen=True)
class GeocodedAddress:
    address: str
    latitude: float
    longitude: float
    zipcode: str


class Geocoder(Protocol):
    def geocode(self, address: str) -> GeocodedAddress | None: ...

    def reverse(self, *, latitude: float, longitude: float) -> GeocodedAddress | None: ...


def normalize_address(address: str) -> str:
    """'12  Main Street, ' and '12 MAIN ST' are one address."""
    words = re.sub(r"[^A-Z0-9 ]+", " ", address.upper()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular approximation: exact enough within one city.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


_ADDRESS_TABLE = AddressPoint._meta.db_table


class AddressPointGeocoder:
    """Exact (normalised) matches forward; the nearest address point within ~250 m in reverse."""

    max_reverse_metres = 250.0

    def geocode(self, address: str) -> GeocodedAddress | None:
        point = AddressPoint.objects.filter(normalized=normalize_address(address)).first()
        return _as_result(point) if point else None

    def reverse(self, *, latitude: float, longitude: float) -> GeocodedAddress | None:
        cell = h3_cell(latitude=latitude, longitude=longitude)
        edge = h3.average_hexagon_edge_length(h3.get_resolution(cell), unit="m")
        reach = _rings_covering(edge, self.max_reverse_metres)
        # The cells within two rings hold every point within one edge length, and most places
        # have an address that close: those are searched first, about half the cells of the
        # whole reach, which is searched only when the nearest found is further away.
        for rings in sorted({min(2, reach), reach}):
            best = self._nearest(h3_neighbourhood(cell=cell, rings=rings), latitude, longitude)
            if best is None:
                continue
            metres = metres_between(latitude, longitude, best.latitude, best.longitude)
            if metres <= edge * (rings - 1) or rings == reach:
                return best if metres <= self.max_reverse_metres else None
        return None

    @staticmethod
    def _nearest(cells: list[str], latitude: float, longitude: float) -> GeocodedAddress | None:
        # The database ranks the candidates (squared planar distance, longitude scaled by the
        # latitude's cosine) so one row comes back, however dense the block. Plain SQL: this runs
        # on every request filed with coordinates, and building it through the ORM cost more
        # than running it.
        scale = math.cos(math.radians(latitude))
        placeholders = ", ".join(["%s"] * len(cells))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT address, latitude, longitude, zipcode FROM {_ADDRESS_TABLE} "
                f"WHERE h3_cell IN ({placeholders}) "
                "ORDER BY (latitude - %s) * (latitude - %s) "
                "+ (longitude - %s) * (longitude - %s) * %s, id LIMIT 1",
                [*cells, latitude, latitude, longitude, longitude, scale * scale],
            )
            best = cursor.fetchone()
        return None if best is None else GeocodedAddress(*best)


def _rings_covering(edge: float, metres: float) -> int:
    """How many rings of cells (of edge length `edge`) around a point's cell hold every point
    within `metres` of it.

    From a corner of the centre cell the first ring reaches out only about one edge length, so
    one ring is counted per edge length, plus a spare ring because cells differ in size: `n`
    rings hold every point within `n - 1` edge lengths.
    """
    return math.ceil(metres / edge) + 1


def _as_result(point: AddressPoint) -> GeocodedAddress:
    return GeocodedAddress(
        address=point.address,
        latitude=point.latitude,
        longitude=point.longitude,
        zipcode=point.zipcode,
    )


@lru_cache(maxsize=1)
def _geocoder_class(path: str) -> type:
    return import_string(path)


def geocoder() -> Geocoder:
    return _geocoder_class(settings.CITYLINE_GEOCODER)()
