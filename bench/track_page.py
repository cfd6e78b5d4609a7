"""Tracking page latency: GET /track/<number>/ with ≥1,000,000 requests stored.

    .venv/bin/python bench/track_page.py [--db sqlite|postgres|both] [--requests 1000000]
        [--runs 3] [--samples 200]

For each database it builds the demo city with the given number of requests on a fresh database,
starts the README's run command, and times sequential GETs (one client on the same machine, so
the figure is the server's time, not queueing) of the tracking pages of requests drawn at random
from every year of the history, open and closed, each page different from the one before. Each
run draws --samples pages; it prints p50/p95 per run and the medians of the runs' p50 and p95.
"""

import argparse
import statistics
import subprocess
import time
import urllib.request

from common import (
    VENV_BIN,
    cityline_shell,
    database,
    database_version,
    demo_server,
    machine,
    median,
)

# Drawn by rowid/id in Python, not ORDER BY random(): a sort of a million rows would take longer
# than the benchmark.
SAMPLE_NUMBERS = """
import random
from cityline.servicerequests.models import ServiceRequest
from cityline.catalog.selectors import service_type_ids_with_hidden_requests
rows = ServiceRequest.objects.exclude(service_type_id__in=service_type_ids_with_hidden_requests())
top = rows.order_by('-id').values_list('id', flat=True).first()
random.seed({seed})
ids = random.sample(range(1, top + 1), min(top, {count} * 2))
numbers = list(rows.filter(id__in=ids).values_list('tracking_number', flat=True))
random.shuffle(numbers)
print('\\n'.join(numbers[:{count}]))
"""


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000


def bench(kind: str, *, requests: int, runs: int, samples: int) -> None:
    with database(kind) as env:
        subprocess.run([str(VENV_BIN / "cityline"), "migrate", "-v0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [str(VENV_BIN / "cityline"), "demo", "--requests", str(requests)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"  {kind}: demo city with {requests:,} requests built in "
            f"{time.perf_counter() - started:.0f} s"
        )
        with demo_server(env) as (base, _key):
            version = database_version(env)
            numbers = cityline_shell(
                env, SAMPLE_NUMBERS.format(seed=311, count=samples * (runs + 1))
            ).split()
            pages = [f"{base}/track/{number}/" for number in numbers]
            for url in pages[:samples]:  # warm caches and connections
                timed_get(url)
            p50s, p95s = [], []
            for number in range(1, runs + 1):
                drawn = pages[number * samples : (number + 1) * samples]
                timings = [timed_get(url) for url in drawn]
                p50 = statistics.median(timings)
                p95 = statistics.quantiles(timings, n=20)[-1]
                p50s.append(p50)
                p95s.append(p95)
                print(f"  {kind} run {number}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
            print(
                f"{kind} ({version}) tracking page: median p50 {median(p50s):.1f} ms, "
                f"median p95 {median(p95s):.1f} ms over {runs} runs of {len(drawn)} pages, "
                f"{requests:,} requests stored"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        bench(kind, requests=args.requests, runs=args.runs, samples=args.samples)


if __name__ == "__main__":
    main()
