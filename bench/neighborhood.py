"""Neighborhood latency: a district's page and the map's data for a viewport, with ≥1,000,000
requests stored.

    .venv/bin/python bench/neighborhood.py [--db sqlite|postgres|both] [--requests 1000000]
        [--runs 3] [--samples 200]

For each database it builds the demo city with the given number of requests on a fresh database,
starts the README's run command, and times sequential GETs (one client on the same machine, so
the figure is the server's time, not queueing) of:

- district pages `/neighborhood/?area=<layer>:<code>` of every boundary layer (council districts,
  community boards, zip codes), a quarter plain, a quarter for one service type, a quarter of
  open requests only, a quarter at page 2;
- the map's data `/map/data.geojson` for viewports of 1,024 by 768 pixels centred on address points
  drawn at random, at zoom levels 11 (the whole city, counted per cell) to 17 (each request),
  over the default period (the last 30 days), a third of them for one service type.

Each run draws --samples of each; it prints p50/p95 per run and the medians of the runs' p50 and
p95.
"""

import random
import statistics
import time
import urllib.request
from urllib.parse import urlencode

from common import (
    ServedCity,
    cityline_shell,
    median,
    on_each_database,
    options,
    served_city_bench,
)

# The areas, the public service codes and a sample of address points, one per line, tab-separated.
SAMPLE_PLACES = """
import random
from cityline.geo.models import AddressPoint, BoundaryArea
from cityline.catalog.selectors import service_type_list_public
random.seed({seed})
for slug, code in BoundaryArea.objects.values_list('layer__slug', 'code'):
    print('area', f'{{slug}}:{{code}}', sep='\\t')
for code in service_type_list_public().values_list('code', flat=True):
    print('service', code, sep='\\t')
top = AddressPoint.objects.order_by('-id').values_list('id', flat=True).first() or 0
ids = random.sample(range(1, top + 1), min(top, {count}))
for lat, lon in AddressPoint.objects.filter(id__in=ids).values_list('latitude', 'longitude'):
    print('point', lat, lon, sep='\\t')
"""

# Leaflet's tiles are 256 pixels wide; a viewport of 1,024 by 768 pixels spans this many degrees of
# longitude at zoom 0, and three quarters as many degrees of latitude at mid latitudes.
VIEW_DEGREES = 360 * 1024 / 256


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000


def district_urls(base: str, rng: random.Random, areas: list[str], services: list[str], n: int):
    urls = []
    for i in range(n):
        query = {"area": rng.choice(areas)}
        kind = i % 4
        if kind == 1:
            query["service"] = rng.choice(services)
        elif kind == 2:
            query["state"] = "open"
        elif kind == 3:
            query["page"] = "2"
        urls.append(f"{base}/neighborhood/?{urlencode(query)}")
    return urls


def viewport_urls(
    base: str, rng: random.Random, points: list[tuple[float, float]], services: list[str], n: int
):
    urls = []
    for i in range(n):
        lat, lon = rng.choice(points)
        zoom = rng.randint(11, 17)
        width = VIEW_DEGREES / 2**zoom
        height = width * 0.75 * 0.75
        bbox = [lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2]
        query = {"bbox": ",".join(f"{v:.5f}" for v in bbox), "zoom": str(zoom)}
        if i % 3 == 2:
            query["service"] = rng.choice(services)
        urls.append(f"{base}/map/data.geojson?{urlencode(query)}")
    return urls


def timed_runs(label: str, kind: str, urls: list[str], runs: int, samples: int):
    for url in urls[:samples]:  # warm caches and connections
        timed_get(url)
    p50s, p95s = [], []
    for number in range(1, runs + 1):
        drawn = urls[number * samples : (number + 1) * samples]
        timings = [timed_get(url) for url in drawn]
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        p50s.append(p50)
        p95s.append(p95)
        print(f"  {kind} {label} run {number}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    return median(p50s), median(p95s)


def measure(city: ServedCity) -> None:
    """Time district pages and the map's data on the server at `base`, over the database of
    `env`."""
    kind, env, base, version, requests, runs, samples = city
    areas, services, points = [], [], []
    lines = cityline_shell(env, SAMPLE_PLACES.format(seed=311, count=2000)).splitlines()
    for line in lines:
        what, *values = line.split("\t")
        if what == "area":
            areas.append(values[0])
        elif what == "service":
            services.append(values[0])
        elif what == "point":
            points.append((float(values[0]), float(values[1])))
    rng = random.Random(311)
    count = samples * (runs + 1)
    for label, urls in (
        ("district page", district_urls(base, rng, areas, services, count)),
        ("map data", viewport_urls(base, rng, points, services, count)),
    ):
        p50, p95 = timed_runs(label, kind, urls, runs, samples)
        print(
            f"{kind} ({version}) {label}: median p50 {p50:.1f} ms, median p95 "
            f"{p95:.1f} ms over {runs} runs of {samples}, {requests:,} requests stored"
        )


def main() -> None:
    on_each_database(options(__doc__, samples=200), served_city_bench(measure))


if __name__ == "__main__":
    main()
