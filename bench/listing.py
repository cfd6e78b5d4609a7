"""Open311 listing latency: GET requests.json over a 90-day window with ≥1,000,000 requests stored.

    .venv/bin/python bench/listing.py [--db sqlite|postgres|both] [--requests 1000000] [--runs 3]

For each database it builds the demo city with the given number of requests on a fresh database,
starts the README's run command, and times sequential GETs (one client, so the figure is the
server's latency, not queueing): the default 90-day window, and the window filtered by status and
by service code. Each run makes --samples calls per query; it prints p50/p95 per run and the
median of the runs' p50s.
"""

import argparse
import json
import statistics
import subprocess
import time
import urllib.request

from common import VENV_BIN, database, database_version, demo_server, machine, median


def timed_get(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        rows = len(json.load(response))
    return (time.perf_counter() - started) * 1000, rows


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
            services = json.load(urllib.request.urlopen(f"{base}/open311/v2/services.json"))
            queries = {
                "90-day window": f"{base}/open311/v2/requests.json",
                "window, status=open": f"{base}/open311/v2/requests.json?status=open",
                "window, one service_code": (
                    f"{base}/open311/v2/requests.json?service_code={services[0]['service_code']}"
                ),
            }
            for name, url in queries.items():
                for _ in range(5):  # warm caches and connections
                    timed_get(url)
                p50s = []
                for number in range(1, runs + 1):
                    timings, rows = zip(*(timed_get(url) for _ in range(samples)), strict=True)
                    p50 = statistics.median(timings)
                    p95 = statistics.quantiles(timings, n=20)[-1]
                    p50s.append(p50)
                    print(
                        f"  {kind} {name} run {number}: {rows[0]} rows, "
                        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
                    )
                print(
                    f"{kind} ({version}) {name}: median p50 {median(p50s):.1f} ms "
                    f"over {runs} runs of {samples} calls, {requests:,} requests stored"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        bench(kind, requests=args.requests, runs=args.runs, samples=args.samples)


if __name__ == "__main__":
    main()
