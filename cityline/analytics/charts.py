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


# Printed charts (the Stat pack): labels, bars and their values side by side in one picture, so
# a reader needs neither colour nor a legend to read a number off it.
PRINT_WIDTH = 660
PRINT_LABEL_WIDTH = 200
PRINT_VALUE_WIDTH = 110
ROW_SINGLE = 18
ROW_PAIRED = 26


class HorizontalBar(NamedTuple):
    label: str
    y: float
    width: float
    # The hatched bar of the comparison (the year before); None where the chart has none.
    before_y: float | None
    before_width: float | None
    value: str
    value_x: float
    text_y: float


class HorizontalBarChart(NamedTuple):
    width: int
    height: int
    label_width: int
    bars: list[HorizontalBar]
    # The whole a share's bar is part of (drawn behind each bar); 0 for counts.
    track_width: float


def horizontal_bars(
    rows: Sequence[tuple[str, float, float | None, str]], *, highest: float | None = None
) -> HorizontalBarChart:
    """One bar per (label, value, the comparison's value or None, the value as written), the
    label before it and the written value after it; bars are scaled to `highest` (the largest
    value by default; a given `highest` is the whole each bar is a share of, drawn behind it)."""
    paired = any(before is not None for _, _, before, _ in rows)
    row_height = ROW_PAIRED if paired else ROW_SINGLE
    top = highest or max((max(v, b or 0) for _, v, b, _ in rows), default=0) or 1
    room = PRINT_WIDTH - PRINT_LABEL_WIDTH - PRINT_VALUE_WIDTH
    bar_height = (row_height - 4) / (2 if paired else 1)
    bars = []
    for index, (label, value, before, written) in enumerate(rows):
        y = index * row_height + 2
        width = room * value / top
        before_width = None if before is None else room * before / top
        longest = max(width, before_width or 0)
        bars.append(
            HorizontalBar(
                label,
                round(y, 1),
                round(width, 1),
                None if before is None else round(y + bar_height, 1),
                None if before_width is None else round(before_width, 1),
                written,
                round(PRINT_LABEL_WIDTH + (room if highest is not None else longest) + 4, 1),
                round(y + row_height / 2 + 1, 1),
            )
        )
    return HorizontalBarChart(
        PRINT_WIDTH,
        len(rows) * row_height + 4,
        PRINT_LABEL_WIDTH,
        bars,
        room if highest is not None else 0,
    )


class Column(NamedTuple):
    label: str
    x: float
    y: float
    width: float
    height: float
    value: int
    middle: float


class ColumnChart(NamedTuple):
    width: int
    height: int
    baseline: float
    columns: list[Column]


def columns(points: Sequence[tuple[str, int]]) -> ColumnChart:
    """A column per (label, count), its count written above it and its label below."""
    plot_height, top_space = 110, 14
    highest = max((value for _, value in points), default=0) or 1
    slot = PRINT_WIDTH / max(len(points), 1)
    drawn = []
    for index, (label, value) in enumerate(points):
        height = plot_height * value / highest
        drawn.append(
            Column(
                label,
                round(index * slot + slot * 0.15, 1),
                round(top_space + plot_height - height, 1),
                round(slot * 0.7, 1),
                round(height, 1),
                value,
                round(index * slot + slot / 2, 1),
            )
        )
    baseline = top_space + plot_height
    return ColumnChart(PRINT_WIDTH, baseline + 16, baseline, drawn)
