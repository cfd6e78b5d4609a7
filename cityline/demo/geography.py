"""Draws the demo city's map: an outline on the west bank of the river, a street grid with its
addresses, and the council districts, community boards, zip codes and parks laid over it.

The map is drawn once and committed: `python -m cityline.demo.geography` rewrites the GeoJSON
layers and `addresses.csv` under `data/`, and the loader only reads those files. Everything is
worked out in kilometres east (x) and north (y) of the city's origin, then turned into WGS 84.
Districts are unions of whole blocks, so their borders run along streets as real ones do.
"""

import csv
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, Polygon, box
from shapely.ops import unary_union

DATA = Path(__file__).resolve().parent / "data"
SEED = 20240611

AVENUE_SPACING_KM = 0.25  # north-south avenues, named, numbered from the south edge
STREET_SPACING_KM = 0.2  # east-west streets, mostly numbered, numbered from the river
KM_PER_DEGREE_LATITUDE = 111.2

# North-south avenues from the river westwards.
AVENUE_NAMES = [
    "Water St", "Front St", "Market St", "Main St", "Church St", "Court St", "Academy St",
    "Liberty St", "Mill St", "Chestnut St", "Walnut St", "Maple Ave", "Elm Ave", "Oak Ave",
    "Birch Ave", "Hickory Ave", "Linden Ave", "Sycamore Ave", "Willow Ave", "Cedar Ave",
    "Spruce Ave", "Hemlock Ave", "Laurel Ave", "Juniper Ave", "Aspen Ave", "Magnolia Ave",
    "Dogwood Ave", "Tamarack Ave", "Ridge Rd", "Quarry Rd", "Orchard Rd", "Hillcrest Rd",
    "Fox Hollow Rd", "County Line Rd",
]  # fmt: skip
# The old streets at the ferry landing kept their names when the rest were numbered.
DOWNTOWN_STREET_NAMES = ["Union St", "Bridge St", "Broad St", "Ferry St", "State St"]

COMMUNITY_BOARD_NAMES = [
    "Old Harbor", "Ferry Landing", "Mill District", "Brickyard", "Cedar Hill", "Northgate",
    "Quarry Flats", "Orchard Heights", "Westmere", "Southside", "Lamplighter", "Fox Hollow",
]  # fmt: skip
ZIP_CODES = ["12541", "12542", "12543", "12544", "12545", "12546", "12547"]
NEIGHBOURHOOD_PARK_NAMES = [
    "Founders Field", "Lamplighter Playground", "Chestnut Square", "Orchard Hill Park",
    "Millbrook Playground", "Cedar Hill Park", "Kingfisher Park", "Brickyard Commons",
]  # fmt: skip


@dataclass(frozen=True)
class Frame:
    """Converts between kilometres from the origin and WGS 84 degrees."""

    latitude: float
    longitude: float

    @property
    def km_per_degree_longitude(self) -> float:
        return KM_PER_DEGREE_LATITUDE * math.cos(math.radians(self.latitude))

    def to_degrees(self, x: float, y: float) -> tuple[float, float]:
        """(longitude, latitude) of a point x km east and y km north of the origin."""
        return (
            round(self.longitude + x / self.km_per_degree_longitude, 6),
            round(self.latitude + y / KM_PER_DEGREE_LATITUDE, 6),
        )

    def to_km(self, longitude: float, latitude: float) -> tuple[float, float]:
        return (
            (longitude - self.longitude) * self.km_per_degree_longitude,
            (latitude - self.latitude) * KM_PER_DEGREE_LATITUDE,
        )


def river_centre_x(y: float) -> float:
    """The river's centre line, x km east of the origin at y km north: a slow meander."""
    return 2.1 + 0.35 * math.sin(y / 1.7) + 0.15 * math.sin(y / 0.8 + 0.5)


def west_bank_x(y: float) -> float:
    return river_centre_x(y) - 0.3


def _noisy_blob(cx: float, cy: float, rx: float, ry: float, rng, wobble: float) -> Polygon:
    phases = rng.uniform(0, 2 * math.pi, size=4)
    points = []
    for k in range(160):
        theta = 2 * math.pi * k / 160
        r = 1 + wobble * (
            0.5 * math.sin(3 * theta + phases[0])
            + 0.3 * math.sin(5 * theta + phases[1])
            + 0.2 * math.sin(9 * theta + phases[2])
            + 0.1 * math.sin(15 * theta + phases[3])
        )
        points.append((cx + rx * r * math.cos(theta), cy + ry * r * math.sin(theta)))
    return Polygon(points)


def city_outline(rng) -> Polygon:
    """An uneven shape bounded on the east by the river's west bank and cut straight on the west
    by the county line, with the jogs that annexations leave: a tract added in the south-west, a
    corner of farmland left out in the north."""
    blob = _noisy_blob(-1.9, 0.0, 4.4, 5.5, rng, wobble=0.16)
    ys = np.linspace(-9, 9, 181)
    land = Polygon([(west_bank_x(y), y) for y in ys] + [(-5.8, 9), (-5.8, -9)])
    annexed = box(-5.0, -5.9, -3.5, -4.0)
    left_out = box(-1.25, 4.4, 0.5, 7.0)
    return blob.union(annexed).difference(left_out).intersection(land)


@dataclass
class StreetPlan:
    avenue_xs: list[float]  # east to west
    street_ys: list[float]  # south to north
    street_names: list[str]

    @property
    def avenue_names(self) -> list[str]:
        return AVENUE_NAMES[: len(self.avenue_xs)]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def street_plan(outline: Polygon, downtown: tuple[float, float]) -> StreetPlan:
    west, south, east, north = outline.bounds
    avenue_xs = []
    x = math.floor(east / AVENUE_SPACING_KM) * AVENUE_SPACING_KM
    while x > west - AVENUE_SPACING_KM:
        avenue_xs.append(round(x, 3))
        x -= AVENUE_SPACING_KM
    if len(avenue_xs) > len(AVENUE_NAMES):
        raise ValueError("the city is wider than the list of avenue names")
    street_ys = []
    y = math.floor(south / STREET_SPACING_KM) * STREET_SPACING_KM
    while y < north + STREET_SPACING_KM:
        street_ys.append(round(y, 3))
        y += STREET_SPACING_KM
    nearest = min(range(len(street_ys)), key=lambda j: abs(street_ys[j] - downtown[1]))
    named = dict(zip(range(nearest - 2, nearest + 3), DOWNTOWN_STREET_NAMES, strict=True))
    names, number = [], 0
    for j in range(len(street_ys)):
        if j in named:
            names.append(named[j])
        else:
            number += 1
            names.append(f"{_ordinal(number)} St")
    return StreetPlan(avenue_xs=avenue_xs, street_ys=street_ys, street_names=names)


@dataclass(frozen=True)
class Block:
    shape: Polygon
    centre: tuple[float, float]
    population: float


def city_blocks(outline: Polygon, plan: StreetPlan, downtown: tuple[float, float]) -> list[Block]:
    """The cells between streets, cut to the outline, each with a population estimate that is
    highest downtown."""
    blocks = []
    xs, ys = sorted(plan.avenue_xs), plan.street_ys
    edges_x = [xs[0] - AVENUE_SPACING_KM, *xs, xs[-1] + AVENUE_SPACING_KM]
    edges_y = [ys[0] - STREET_SPACING_KM, *ys, ys[-1] + STREET_SPACING_KM]
    for x0, x1 in itertools.pairwise(edges_x):
        for y0, y1 in itertools.pairwise(edges_y):
            cell = box(x0, y0, x1, y1).intersection(outline)
            if cell.is_empty or cell.area < 1e-6:
                continue
            c = cell.representative_point()
            distance = math.dist((c.x, c.y), downtown)
            density = 1 + 5 * math.exp(-((distance / 1.8) ** 2))
            blocks.append(Block(shape=cell, centre=(c.x, c.y), population=cell.area * density))
    return blocks


def partition(blocks: list[Block], k: int, rng, *, balanced: bool) -> np.ndarray:
    """Group blocks into k compact districts (weighted k-means); when `balanced`, shift the
    borders (a power diagram) until each district holds about the same population."""
    centres = np.array([b.centre for b in blocks])
    population = np.array([b.population for b in blocks])
    # k-means++ start, weighted by population.
    seeds = [centres[rng.choice(len(blocks), p=population / population.sum())]]
    for _ in range(k - 1):
        d2 = np.min([((centres - s) ** 2).sum(axis=1) for s in seeds], axis=0)
        p = d2 * population
        seeds.append(centres[rng.choice(len(blocks), p=p / p.sum())])
    seeds_arr = np.array(seeds)
    weights = np.zeros(k)
    for step in range(400):
        d2 = ((centres[:, None, :] - seeds_arr[None, :, :]) ** 2).sum(axis=2)
        labels = np.argmin(d2 - weights[None, :], axis=1)
        if step < 40:
            for i in range(k):
                mine = labels == i
                if mine.any():
                    seeds_arr[i] = np.average(centres[mine], axis=0, weights=population[mine])
            continue
        if not balanced:
            break
        held = np.array([population[labels == i].sum() for i in range(k)])
        target = population.sum() / k
        weights += 0.05 * (target - held) / target
    return labels


def _union(shapes: list[Polygon]):
    merged = unary_union(shapes)
    # Drop the corner points that unions of grid cells leave along straight borders.
    return merged.simplify(1e-4, preserve_topology=True)


def layer_from_labels(blocks: list[Block], labels: np.ndarray) -> list:
    return [
        _union([b.shape for b, label in zip(blocks, labels, strict=True) if label == i])
        for i in range(int(labels.max()) + 1)
    ]


def _order_north_to_south(shapes: list) -> list:
    return sorted(shapes, key=lambda s: (-round(s.centroid.y, 3), s.centroid.x))


def parks(outline: Polygon, plan: StreetPlan, downtown: tuple[float, float], rng) -> list:
    """(name, shape) of each park: a riverside strip, two large irregular parks, a downtown
    common and neighbourhood parks of one to six blocks."""
    found: list[tuple[str, Polygon]] = []
    ys = np.linspace(downtown[1] - 2.3, downtown[1] + 1.9, 60)
    bank = [(west_bank_x(y) + 0.01, y) for y in ys]
    inland = [(west_bank_x(y) - 0.11 - 0.03 * math.sin(y * 2.1), y) for y in reversed(ys)]
    found.append(("Riverside Park", Polygon(bank + inland).intersection(outline)))
    found.append(
        (
            "Hollow Woods Preserve",
            _noisy_blob(-4.5, 3.3, 0.8, 0.65, rng, wobble=0.25).intersection(outline),
        )
    )
    found.append(
        (
            "Quarry Lake Park",
            _noisy_blob(-3.4, -3.7, 0.45, 0.38, rng, wobble=0.3).intersection(outline),
        )
    )
    xs = sorted(plan.avenue_xs)
    dx = min(xs, key=lambda x: abs(x - (downtown[0] - 0.3)))
    dy = min(plan.street_ys, key=lambda y: abs(y - (downtown[1] + 0.5)))
    found.append(
        ("Meridian Common", box(dx, dy, dx + 2 * AVENUE_SPACING_KM, dy + STREET_SPACING_KM))
    )

    inner = outline.buffer(-0.6)
    for name in NEIGHBOURHOOD_PARK_NAMES:
        for _ in range(200):
            x = xs[rng.integers(0, len(xs))]
            y = plan.street_ys[rng.integers(0, len(plan.street_ys))]
            width, height = int(rng.integers(1, 3)), int(rng.integers(1, 4))
            candidate = box(x, y, x + width * AVENUE_SPACING_KM, y + height * STREET_SPACING_KM)
            if inner.contains(candidate) and all(
                candidate.distance(other) > 1.0 for _, other in found
            ):
                found.append((name, candidate))
                break
    return found


@dataclass(frozen=True)
class Address:
    address: str
    x: float
    y: float


def addresses(
    outline: Polygon, plan: StreetPlan, park_shapes: list, downtown: tuple[float, float], rng
) -> list[Address]:
    """House numbers along every block face: a hundred per block, even numbers on the north and
    east sides; more addresses per face downtown, where lots are narrow."""
    inside = outline.buffer(-0.03)
    no_park = unary_union(park_shapes).buffer(0.01)
    found: list[Address] = []
    offset = 0.018  # km from the street's centre line to the door

    def per_face(x: float, y: float) -> int:
        distance = math.dist((x, y), downtown)
        return 2 if distance < 2.0 else 1

    def keep(x: float, y: float) -> bool:
        point = Point(x, y)
        return inside.contains(point) and not no_park.contains(point)

    xs, ys = plan.avenue_xs, plan.street_ys
    # East-west streets: numbers grow westwards from the river, a hundred per block.
    for j, y in enumerate(ys):
        for i in range(len(xs) - 1):
            x_east, x_west = xs[i], xs[i + 1]
            n = per_face((x_east + x_west) / 2, y)
            for side, parity in ((1, 0), (-1, 1)):
                for t in sorted(rng.uniform(0.12, 0.88, size=n)):
                    x = x_east + (x_west - x_east) * t
                    if keep(x, y + side * offset):
                        number = 100 * (i + 1) + 2 * int(t * 48) + parity
                        found.append(
                            Address(f"{number} {plan.street_names[j]}", x, y + side * offset)
                        )
    # North-south avenues: numbers grow northwards from the south edge.
    for i, x in enumerate(xs):
        for j in range(len(ys) - 1):
            y_south, y_north = ys[j], ys[j + 1]
            n = per_face(x, (y_south + y_north) / 2)
            for side, parity in ((1, 0), (-1, 1)):
                for t in sorted(rng.uniform(0.12, 0.88, size=n)):
                    y = y_south + (y_north - y_south) * t
                    if keep(x + side * offset, y):
                        number = 100 * (j + 1) + 2 * int(t * 48) + parity
                        found.append(
                            Address(f"{number} {plan.avenue_names[i]}", x + side * offset, y)
                        )
    unique = {a.address: a for a in found}
    return sorted(unique.values(), key=lambda a: a.address)


def _feature(frame: Frame, code: str, name: str, geometry) -> dict:
    def ring(coords) -> list:
        return [list(frame.to_degrees(x, y)) for x, y in coords]

    def polygon(p: Polygon) -> list:
        p = shapely.geometry.polygon.orient(p)
        return [ring(p.exterior.coords), *(ring(r.coords) for r in p.interiors)]

    if geometry.geom_type == "Polygon":
        shape = {"type": "Polygon", "coordinates": polygon(geometry)}
    else:
        parts = [g for g in geometry.geoms if g.geom_type == "Polygon" and g.area > 1e-4]
        shape = {"type": "MultiPolygon", "coordinates": [polygon(p) for p in parts]}
        if len(parts) == 1:
            shape = {"type": "Polygon", "coordinates": polygon(parts[0])}
    return {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": shape}


def _write_layer(path: Path, features: list[dict]) -> None:
    lines = ",\n".join(json.dumps(f, separators=(",", ":")) for f in features)
    path.write_text('{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n")


def draw(folder: Path = DATA) -> dict[str, int]:
    """Draw the map and write its files into `folder`; returns how many of each were written."""
    city = json.loads((DATA / "city.json").read_text())
    frame = Frame(city["origin"]["latitude"], city["origin"]["longitude"])
    downtown = frame.to_km(city["downtown"]["longitude"], city["downtown"]["latitude"])
    rng = np.random.default_rng(SEED)

    outline = city_outline(rng)
    plan = street_plan(outline, downtown)
    blocks = city_blocks(outline, plan, downtown)

    council = _order_north_to_south(
        layer_from_labels(blocks, partition(blocks, 9, rng, balanced=True))
    )
    _write_layer(
        folder / "council-districts.geojson",
        [_feature(frame, str(i), f"Council District {i}", s) for i, s in enumerate(council, 1)],
    )

    boards = layer_from_labels(blocks, partition(blocks, 12, rng, balanced=True))
    # Old Harbor is the board downtown; the rest are named in order round it.
    boards.sort(key=lambda s: s.distance(Point(downtown)))
    first, rest = boards[0], boards[1:]
    rest.sort(key=lambda s: math.atan2(s.centroid.y - downtown[1], s.centroid.x - downtown[0]))
    board_features = [
        _feature(frame, f"CB{i:02d}", f"{COMMUNITY_BOARD_NAMES[i - 1]} (Community Board {i})", s)
        for i, s in enumerate([first, *rest], 1)
    ]
    _write_layer(folder / "community-boards.geojson", board_features)

    zips = _order_north_to_south(
        layer_from_labels(blocks, partition(blocks, len(ZIP_CODES), rng, balanced=False))
    )
    _write_layer(
        folder / "zipcodes.geojson",
        [_feature(frame, code, code, s) for code, s in zip(ZIP_CODES, zips, strict=True)],
    )

    park_list = parks(outline, plan, downtown, rng)
    _write_layer(
        folder / "parks.geojson",
        [_feature(frame, f"P{i:02d}", name, s) for i, (name, s) in enumerate(park_list, 1)],
    )

    points = addresses(outline, plan, [s for _, s in park_list], downtown, rng)
    zip_tree = shapely.STRtree(zips)
    with (folder / "addresses.csv").open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["address", "latitude", "longitude", "zipcode"])
        for a in points:
            point = Point(a.x, a.y)
            hits = zip_tree.query(point, predicate="intersects")
            index = int(hits[0]) if len(hits) else int(zip_tree.nearest(point))
            longitude, latitude = frame.to_degrees(a.x, a.y)
            writer.writerow([a.address, f"{latitude:.6f}", f"{longitude:.6f}", ZIP_CODES[index]])
    return {
        "council districts": len(council),
        "community boards": len(board_features),
        "zip codes": len(zips),
        "parks": len(park_list),
        "addresses": len(points),
    }


if __name__ == "__main__":
    for what, count in draw().items():
        print(f"{count:6d} {what}")
