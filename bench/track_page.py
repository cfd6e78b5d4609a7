"""Tracking page latency: GET /track/<number>/ with ≥1,000,000 requests stored.

    .venv/bin/python bench/track_page.py [--db sqlite|postgres|both] [--requests 1000000]
        [--runs 3] [--samples 200]

For each database it builds the demo city with the given number of requests on a fresh database,
starts the README's run command, and times sequential GETs (one client on the same machine, so
the figure is the server's time, not queueing) of the tracking pages of requests drawn at random
from every year of the history, open and closed, each page different from the one before. Each
run draws --samples pages; it prints p50/p95 per run and the medians of the runs' p50 and p95.
"""

from common import (
    ServedCity,
    cityline_shell,
    http_get,
    on_each_database,
    options,
    report,
    served_city_bench,
    timed_runs,
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


def measure(city: ServedCity) -> None:
    """Time tracking pages on the server at `base`, over the database of `env`."""
    kind, env, base, version, requests, runs, samples = city
    numbers = cityline_shell(
        env, SAMPLE_NUMBERS.format(seed=311, count=samples * (runs + 1))
    ).split()
    pages = [f"{base}/track/{number}/" for number in numbers]
    # The first --samples pages warm caches and connections; each run then draws its own.
    report(
        f"{kind} ({version}) tracking page",
        timed_runs(
            lambda number: http_get(pages[number]), runs=runs, samples=samples, warm_up=samples
        ),
        of=f"pages, {requests:,} requests stored",
    )


def main() -> None:
    on_each_database(options(__doc__, samples=200), served_city_bench(measure))


if __name__ == "__main__":
    main()
