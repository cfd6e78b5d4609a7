"""Open311 listing latency: GET requests.json over a 90-day window with ≥1,000,000 requests stored.

    .venv/bin/python bench/listing.py [--db sqlite|postgres|both] [--requests 1000000] [--runs 3]

For each database it builds the demo city with the given number of requests on a fresh database,
starts the README's run command, and times sequential GETs (one client, so the figure is the
server's latency, not queueing): the default 90-day window, and the window filtered by status and
by service code. Each run makes --samples calls per query; it prints p50/p95 per run and the
medians of the runs' p50s and p95s.
"""

import json

from common import demo_city, demo_server, http_get, on_each_database, options, report, timed_runs


def bench(kind: str, *, requests: int, runs: int, samples: int) -> None:
    with demo_city(kind, requests=requests) as (env, version), demo_server(env) as (base, _key):
        services = json.loads(http_get(f"{base}/open311/v2/services.json"))
        queries = {
            "90-day window": f"{base}/open311/v2/requests.json",
            "window, status=open": f"{base}/open311/v2/requests.json?status=open",
            "window, one service_code": (
                f"{base}/open311/v2/requests.json?service_code={services[0]['service_code']}"
            ),
        }
        for name, url in queries.items():
            rows = len(json.loads(http_get(url)))
            report(
                f"{kind} ({version}) {name}",
                timed_runs(lambda _, url=url: http_get(url), runs=runs, samples=samples, warm_up=5),
                of=f"calls of {rows} rows, {requests:,} requests stored",
            )


def main() -> None:
    on_each_database(options(__doc__, samples=50), bench)


if __name__ == "__main__":
    main()
