"""Report form latency: the report page, the open requests near a point, and the confirmation,
with ≥1,000,000 requests stored.

    .venv/bin/python bench/report_page.py [--db sqlite|postgres|both] [--requests 1000000]
        [--runs 3] [--samples 100]

For each database it builds the demo city with the given number of requests on a fresh database,
starts the README's run command (with the report form's per-client limit lifted), and times
sequential requests (one client on the same machine, so the figure is the server's time, not
queueing): GET /report/?service=<code> for public types drawn at random; GET /report/nearby/ for
a type at one of the city's address points; and, after a report is sent through the form (its
questions answered from the type's Open311 definition), GET of its confirmation page. Each run
draws --samples of each; it prints p50/p95 per run and the medians of the runs' p50 and p95.
"""

import http.cookiejar
import json
import random
import re
import statistics
import time
import urllib.parse
import urllib.request

from common import (
    ServedCity,
    cityline_shell,
    median,
    on_each_database,
    options,
    served_city_bench,
)

SAMPLE_PLACES = """
import random
from cityline.geo.models import AddressPoint
top = AddressPoint.objects.order_by('-id').values_list('id', flat=True).first()
random.seed({seed})
ids = random.sample(range(1, top + 1), min(top, {count}))
for lat, lon in AddressPoint.objects.filter(id__in=ids).values_list('latitude', 'longitude'):
    print(f'{{lat:.6f}},{{lon:.6f}}')
"""


class Client:
    """One browser: its cookies, so the CSRF token and the confirmation's session hold."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[float, str]:
        started = time.perf_counter()
        with self.opener.open(self.base + path, timeout=60) as response:
            body = response.read().decode()
            assert response.status == 200, path
        return (time.perf_counter() - started) * 1000, body

    def post(self, path: str, data: list[tuple[str, str]]) -> str:
        """Send a form; return the address it redirected to."""
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base + path},
        )
        with self.opener.open(request, timeout=60) as response:
            assert response.status == 200, path
            return response.url


def answers(base: str, code: str) -> list[tuple[str, str]]:
    """A valid answer to each required question of a type, from its Open311 definition."""
    with urllib.request.urlopen(f"{base}/open311/v2/services/{code}.json", timeout=60) as found:
        definition = json.loads(found.read())
    given = []
    for attribute in definition["attributes"]:
        if not attribute["variable"] or not attribute["required"]:
            continue
        kind, name = attribute["datatype"], f"attribute[{attribute['code']}]"
        if kind in ("singlevaluelist", "multivaluelist"):
            given.append((name, attribute["values"][0]["key"]))
        elif kind == "number":
            given.append((name, "1"))
        elif kind == "datetime":
            given.append((name, "2026-01-05T09:30"))
        else:
            given.append((name, "as seen from the pavement"))
    return given


def hidden(body: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]+)"', body)
    assert found, name
    return found.group(1)


def percentiles(timings: list[float]) -> tuple[float, float]:
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


# The server's environment: the report form's per-client limit lifted.
SERVER_ENV = {"CITYLINE_REPORT_RATE": "1000000/h"}


def measure(city: ServedCity) -> None:
    """Time the report form's pages on the server at `base`, over the database of `env`."""
    kind, env, base, version, requests, runs, samples = city
    with urllib.request.urlopen(f"{base}/open311/v2/services.json", timeout=60) as found:
        codes = [s["service_code"] for s in json.loads(found.read())]
    places = cityline_shell(env, SAMPLE_PLACES.format(seed=311, count=samples * (runs + 1))).split()
    asked = {code: answers(base, code) for code in codes}
    rng = random.Random(311)
    figures: dict[str, tuple[list[float], list[float]]] = {
        "report page": ([], []),
        "nearby": ([], []),
        "confirmation": ([], []),
    }
    for number in range(runs + 1):  # run 0 warms caches and connections
        timings: dict[str, list[float]] = {name: [] for name in figures}
        for index in range(samples):
            client = Client(base)
            code = rng.choice(codes)
            lat, lon = places[(number * samples + index) % len(places)].split(",")
            took, body = client.get(f"/report/?service={code}")
            timings["report page"].append(took)
            took, _ = client.get(f"/report/nearby/?lat={lat}&long={lon}&service={code}")
            timings["nearby"].append(took)
            sent = client.post(
                "/report/",
                [
                    ("csrfmiddlewaretoken", hidden(body, "csrfmiddlewaretoken")),
                    ("submission", hidden(body, "submission")),
                    ("service", code),
                    ("lat", lat),
                    ("long", lon),
                    ("description", "Benchmark report"),
                    *asked[code],
                ],
            )
            assert "/report/sent/" in sent, sent
            took, _ = client.get(urllib.parse.urlsplit(sent).path)
            timings["confirmation"].append(took)
        if number == 0:
            continue
        for name, (p50s, p95s) in figures.items():
            p50, p95 = percentiles(timings[name])
            p50s.append(p50)
            p95s.append(p95)
            print(f"  {kind} run {number} {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    for name, (p50s, p95s) in figures.items():
        print(
            f"{kind} ({version}) {name}: median p50 {median(p50s):.1f} ms, "
            f"median p95 {median(p95s):.1f} ms over {runs} runs of {samples}, "
            f"{requests:,} requests stored"
        )


def main() -> None:
    on_each_database(
        options(__doc__, samples=100), served_city_bench(measure, server_env=SERVER_ENV)
    )


if __name__ == "__main__":
    main()
