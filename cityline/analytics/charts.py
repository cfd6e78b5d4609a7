"""Charts drawn on the server as inline SVG: bars beside the year before's, and choropleths of H3
cells or districts. Every chart is a picture of a table the page shows beside it; the year
before's bars and the busier places are hatched, so no reading depends on colour."""

import math
from collections.abc import Sequence
from typing import NamedTuple

import h3
import shapely.geometry

WIDTH = 640
BAR_HEIGHT = 200
LABEL_SPACE = 40
SHADES = 5
# About 50 m: a district's outline on a page-sized map loses nothing a reader sees.
SIMPLIFY_DEGREES = 0.0005


class Bar(NamedTuple):
    x: float
    y: float
    width: float
    height: float
    value: int


class BarGroup(NamedTuple):
    label: str
    label_x: float
    now: Bar
    before: Bar


class BarChart(NamedTuple):
    width: int
    height: int
    baseline: float
    groups: list[BarGroup]


def paired_bars(points: Sequence[tuple[str, int, int]]) -> BarChart:
    """Bars for (label, this period's count, the year before's), side by side per label."""
    highest = max((max(now, before) for _, now, before in points), default=0) or 1
    slot = WIDTH / max(len(points), 1)
    bar = slot * 0.4
    groups = []
    for index, (label, now, before) in enumerate(points):
        left = index * slot + slot * 0.1

        def drawn(x: float, value: int) -> Bar:
            height = BAR_HEIGHT * value / highest
            return Bar(
                round(x, 1), round(BAR_HEIGHT - height, 1), round(bar, 1), round(height, 1), value
            )

        groups.append(
            BarGroup(
                label,
                round(index * slot + slot / 2, 1),
                drawn(left, now),
                drawn(left + bar, before),
            )
        )
    return BarChart(WIDTH, BAR_HEIGHT + LABEL_SPACE, BAR_HEIGHT, groups)


Ring = list[tuple[float, float]]


class Shape(NamedTuple):
    """A place to shade: its key, its outer rings as (longitude, latitude), its count."""

    key: str
    rings: list[Ring]
    requests: int


class DrawnShape(NamedTuple):
    key: str
    path: str
    shade: int
    requests: int


class ShapeMap(NamedTuple):
    width: int
    height: int
    shapes: list[DrawnShape]


def shade_of(value: int, highest: int) -> int:
    """One of SHADES classes, 1 (fewest) to SHADES (most), by share of the highest count."""
    return max(1, -(-value * SHADES // max(highest, 1)))


def cell_shape(cell: str, requests: int) -> Shape:
    return Shape(cell, [[(lon, lat) for lat, lon in h3.cell_to_boundary(cell)]], requests)


def area_shape(key: str, geometry: dict, requests: int) -> Shape:
    """A district's outer rings, simplified to what a page-sized map shows."""
    simplified = shapely.geometry.shape(geometry).simplify(SIMPLIFY_DEGREES)
    polygons = getattr(simplified, "geoms", [simplified])
    rings = [list(polygon.exterior.coords) for polygon in polygons if not polygon.is_empty]
    return Shape(key, rings, requests)


def choropleth(shapes: Sequence[Shape], *, width: int = WIDTH) -> ShapeMap:
    """The places as SVG paths on an equirectangular projection of their own extent (longitudes
    narrowed by the cosine of its middle latitude), each shaded by its count: a choropleth that
    needs no map tiles and no script."""
    points = [point for shape in shapes for ring in shape.rings for point in ring]
    if not points:
        return ShapeMap(width, 0, [])
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    narrowing = math.cos(math.radians((north + south) / 2))
    scale = width / max((east - west) * narrowing, 1e-9)
    height = min(int((north - south) * scale) + 1, width * 2)
    highest = max(shape.requests for shape in shapes)

    def path(rings: list[Ring]) -> str:
        return " ".join(
            "M"
            + " L".join(
                f"{(lon - west) * narrowing * scale:.1f},{(north - lat) * scale:.1f}"
                for lon, lat in ring
            )
            + " Z"
            for ring in rings
        )

    drawn = [
        DrawnShape(shape.key, path(shape.rings), shade_of(shape.requests, highest), shape.requests)
        for shape in shapes
    ]
    return ShapeMap(width, height, drawn)


def choropleth_geojson(shapes: Sequence[Shape]) -> dict[str, object]:
    """The same places as GeoJSON for the map: each feature's key, count and shade."""
    highest = max((shape.requests for shape in shapes), default=1)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[list(point) for point in ring]] for ring in shape.rings],
                },
                "properties": {
                    "key": shape.key,
                    "requests": shape.requests,
                    "shade": shade_of(shape.requests, highest),
                },
            }
            for shape in shapes
        ],
    }
