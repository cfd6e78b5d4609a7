"""The analytics store at city scale: the SLA compliance page's query over 10,000,000 requests,
and an incremental refresh after 10,000 new requests.

    .venv/bin/python bench/analytics.py [--requests 10000000] [--new 10000] [--selections 12]
                                        [--runs 5] [--rounds 3] [--demo-requests 20000]

On a fresh SQLite database it builds the demo city (its generated history through the
services) and imports the real NYC Elevator complaints of 2024 (22,504 rows, beside the
repository) with `cityline import nyc311`; a full refresh writes that history into the store.
Then it generates --requests requests straight into the same month partitions with numpy and
pyarrow: a dozen agencies, 200 service types (a few popular, most rare), 51 council districts
and 59 community boards, five years to this month with a summer peak and a yearly growth, most
requests by phone, 4% proactive, due times from 4 hours to 30 days, close times around them
(a fifth late, most of those with a reason), the recent ones still open. Generated requests have
no history entries: the figures timed here read the requests alone.

It times, each the median of --runs runs of the whole call (DuckDB connection included):
- `sla_compliance` for --selections random agency x service type x council district x month
  selections (the goal: under 1 s), and for one agency's whole month by district;
- `volume_over_time` of a year by week and agency, beside the year before.
Then, --rounds times, it files --new requests through the intake service (not timed) and times
the incremental refresh that writes them (the goal: under 5 s).
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np
from common import REPO, VENV_BIN, database, machine, median

ELEVATORS = REPO.parent / "shared" / "data" / "nyc311-elevator-2024" / "clean_requests.csv.gz"
COUNCIL, BOARDS = "council-districts", "community-boards"
AGENCIES = 12
TYPES = 200
DISTRICTS = 51
COMMUNITY_BOARDS = 59
YEARS = 5
FIRST_ID = 10**12  # above any id the database gives
CHANNELS = ["phone", "web", "mobile", "email", "sms", "walk_in", "social", "open311"]
CHANNEL_SHARES = [0.44, 0.22, 0.2, 0.04, 0.03, 0.02, 0.02, 0.03]
REASONS = ["Weather", "Waiting for parts", "Staffing", "Access blocked", "Contractor delay"]
GROUPS = ["Streets", "Sanitation", "Water", "Parks", "Noise", "Housing", "Transport", "Health"]


def cityline(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "cityline"), *args], env=env, check=True, capture_output=True)


def prepare_database(env: dict[str, str], demo_requests: int) -> None:
    started = time.perf_counter()
    cityline(env, "migrate")
    cityline(env, "demo", "--requests", str(demo_requests))
    if ELEVATORS.exists():
        cityline(env, "import", "nyc311", str(ELEVATORS))
    print(f"database: demo city and imported history in {time.perf_counter() - started:.0f} s")


class Catalog:
    """The generated city's agencies, service types and districts, and how often each comes."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.agencies = [f"AG{n:02d}" for n in range(AGENCIES)]
        self.types = [f"svc-{n:03d}" for n in range(TYPES)]
        # A few service types carry most requests (noise, heat, potholes), most are rare.
        popularity = 1 / np.arange(1, TYPES + 1) ** 1.1
        self.type_shares = popularity / popularity.sum()
        self.type_agency = rng.integers(0, AGENCIES, TYPES)
        self.type_group = rng.integers(0, len(GROUPS), TYPES)
        self.type_sla_hours = np.exp(rng.uniform(np.log(4), np.log(30 * 24), TYPES))
        district = rng.dirichlet(np.full(DISTRICTS, 4.0))
        self.district_shares = district
        self.board_shares = rng.dirichlet(np.full(COMMUNITY_BOARDS, 4.0))

    def selection(self, rng: random.Random) -> tuple[str, str, str]:
        # Pages are opened as often as requests come: the busy service types most.
        service = rng.choices(range(TYPES), weights=self.type_shares)[0]
        return (
            self.agencies[self.type_agency[service]],
            self.types[service],
            str(rng.randrange(DISTRICTS) + 1),
        )


def months_back(today: date, count: int) -> list[date]:
    months, day = [], today.replace(day=1)
    for _ in range(count):
        months.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return months[::-1]


def generated_month(
    catalog, rng, first: date, rows: int, first_id: int, now_us: int, now_local_us: int, zone: str
):
    import pyarrow as pa
    import pyarrow.compute as pc

    from cityline.analytics.schema import REQUEST_SCHEMA

    days = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
    epoch_day = (first - date(1970, 1, 1)).days
    # This month's requests come up to now, in the city's wall-clock time.
    span_us = min(days * 86_400_000_000, now_local_us - epoch_day * 86_400_000_000)
    local_us = np.sort(epoch_day * 86_400_000_000 + rng.integers(0, span_us, rows))
    requested_at = pc.assume_timezone(
        pa.array(local_us, pa.timestamp("us")),
        timezone=zone,
        ambiguous="earliest",
        nonexistent="earliest",
    )
    requested_us = requested_at.cast(pa.int64()).to_numpy()
    service = rng.choice(TYPES, rows, p=catalog.type_shares)
    sla_us = (catalog.type_sla_hours[service] * 3_600_000_000).astype(np.int64)
    expected_us = requested_us + sla_us
    closed_us = requested_us + (sla_us * rng.lognormal(-0.6, 0.7, rows)).astype(np.int64)
    closed = closed_us <= now_us
    late = closed & (closed_us > expected_us)
    with_reason = late & (rng.random(rows) < 0.8)
    ids = np.arange(first_id, first_id + rows, dtype=np.int64)
    open_statuses = np.array(["new", "acknowledged", "in_progress", "waiting_on_third_party"])

    def strings(values, indices):
        return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(values)).cast(
            pa.string()
        )

    def utc(values, mask=None):
        return pa.array(values, pa.int64(), mask=mask).cast(pa.timestamp("us", tz="UTC"))

    keys = np.tile(np.array([0, 1], dtype=np.int32), rows)
    codes = np.empty(2 * rows, dtype=np.int32)
    codes[0::2] = rng.choice(DISTRICTS, rows, p=catalog.district_shares)
    codes[1::2] = DISTRICTS + rng.choice(COMMUNITY_BOARDS, rows, p=catalog.board_shares)
    area_names = [str(n + 1) for n in range(DISTRICTS)] + [
        f"{n + 101}" for n in range(COMMUNITY_BOARDS)
    ]
    areas = pa.MapArray.from_arrays(
        pa.array(np.arange(0, 2 * rows + 1, 2, dtype=np.int32)),
        strings([COUNCIL, BOARDS], keys),
        strings(area_names, codes),
    )
    reason = np.where(with_reason, rng.integers(0, len(REASONS), rows), -1)
    columns = {
        "id": pa.array(ids),
        "tracking_number": pc.binary_join_element_wise("G-", pa.array(ids).cast(pa.string()), ""),
        "service_code": strings(catalog.types, service),
        "service_name": strings([f"Service {t}" for t in catalog.types], service),
        "service_group": strings(GROUPS, catalog.type_group[service]),
        "agency_code": strings(catalog.agencies, catalog.type_agency[service]),
        "agency_name": strings(
            [f"Agency {a}" for a in catalog.agencies], catalog.type_agency[service]
        ),
        "channel": strings(CHANNELS, rng.choice(len(CHANNELS), rows, p=CHANNEL_SHARES)),
        "proactive": pa.array(rng.random(rows) < 0.04),
        "priority": strings(["normal", "high"], (rng.random(rows) < 0.1).astype(np.int32)),
        "status": pa.array(
            np.where(closed, "closed", open_statuses[rng.integers(0, 4, rows)]), pa.string()
        ),
        "resolution": pa.array(np.where(closed, "completed", None), pa.string()),
        "requested_at": requested_at,
        "requested_on": pa.array(local_us // 86_400_000_000, pa.int32()).cast(pa.date32()),
        "acknowledge_due_at": utc(requested_us + 86_400_000_000),
        "expected_at": utc(expected_us),
        "closed_at": utc(closed_us, mask=~closed),
        "updated_at": utc(np.where(closed, closed_us, requested_us)),
        "on_time": pa.array(closed_us <= expected_us, mask=~closed),
        "late_close_reason": pa.array(
            [REASONS[r] if r >= 0 else None for r in reason.tolist()], pa.string()
        ),
        "areas": areas,
        "h3_cell": pa.nulls(rows, pa.string()),
        "demand": pa.array(np.ones(rows, dtype=np.int32)),
        "source": pa.nulls(rows, pa.string()),
    }
    return pa.table([columns[f.name] for f in REQUEST_SCHEMA], schema=REQUEST_SCHEMA)


def generate(catalog: Catalog, total: int, seed: int) -> list[str]:
    import pyarrow as pa
    from django.conf import settings

    from cityline.analytics.schema import month_of
    from cityline.analytics.store import REQUESTS, partition_read_without, partition_replace
    from cityline.core import clock

    rng = np.random.default_rng(seed)
    now = clock.now()
    today = clock.to_city_time(now).date()
    now_us = int(now.timestamp() * 1_000_000)
    offset = clock.to_city_time(now).utcoffset() or timedelta(0)
    now_local_us = now_us + offset // timedelta(microseconds=1)
    months = months_back(today, YEARS * 12)
    # More in summer, and a little more each year.
    weights = np.array(
        [
            (1 + 0.25 * np.sin((m.month - 4) / 12 * 2 * np.pi)) * 1.05 ** (i / 12)
            for i, m in enumerate(months)
        ]
    )
    counts = np.floor(weights / weights.sum() * total).astype(int)
    counts[-1] += total - counts.sum()
    started, written, next_id = time.perf_counter(), 0, FIRST_ID
    no_ids = pa.array([], pa.int64())
    for i, (first, rows) in enumerate(zip(months, counts, strict=True)):
        table = generated_month(
            catalog, rng, first, int(rows), next_id, now_us, now_local_us, settings.TIME_ZONE
        )
        next_id += int(rows)
        month = month_of(first)
        kept = partition_read_without(REQUESTS, month, no_ids)
        partition_replace(REQUESTS, month, pa.concat_tables([kept, table]))
        written += table.num_rows
        if i % 6 == 5 or i == len(months) - 1:
            elapsed = time.perf_counter() - started
            print(
                f"  generated {written:,} requests through {month} in {elapsed:.0f} s", flush=True
            )
    return [month_of(m) for m in months]


def timed(call, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return median(times), result


def file_requests(count: int, seed: int) -> None:
    from cityline.catalog.models import ServiceType
    from cityline.geo.models import AddressPoint
    from cityline.servicerequests.services.intake import Location, service_request_create

    rng = random.Random(seed)
    types = list(
        ServiceType.objects.filter(is_active=True).exclude(attributes__required=True).distinct()
    )
    points = list(AddressPoint.objects.order_by("?")[:500])
    for _ in range(count):
        point = rng.choice(points)
        service_request_create(
            service_type=rng.choice(types),
            description="Filed by the analytics benchmark.",
            location=Location(latitude=point.latitude, longitude=point.longitude),
            channel=rng.choice(["phone", "web", "mobile"]),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--selections", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--demo-requests", type=int, default=20_000)
    args = parser.parse_args()
    print(machine())
    with database("sqlite") as env:
        env["CITYLINE_ANALYTICS_DIR"] = os.path.join(env["CITYLINE_VAR_DIR"], "analytics")
        prepare_database(env, args.demo_requests)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityline.settings")
        import django

        django.setup()
        try:
            run(args)
        finally:
            # Hundreds of megabytes of Parquet: nothing to keep once the figures are printed.
            shutil.rmtree(env["CITYLINE_VAR_DIR"], ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    import duckdb
    import pyarrow

    from cityline.analytics import queries
    from cityline.analytics.queries import Dimension, Period, Selection
    from cityline.analytics.services import analytics_refresh
    from cityline.servicerequests.models import ServiceRequest

    print(f"pyarrow {pyarrow.__version__}, duckdb {duckdb.__version__}")
    started = time.perf_counter()
    history = analytics_refresh(full=True)
    print(
        f"full refresh of the database's {history.requests:,} requests "
        f"({len(history.months)} months): {time.perf_counter() - started:.1f} s"
    )
    catalog = Catalog(np.random.default_rng(311))
    print(f"generating {args.requests:,} requests into the store…")
    started = time.perf_counter()
    months = generate(catalog, args.requests, seed=311)
    print(f"generated in {time.perf_counter() - started:.0f} s")

    rng = random.Random(311)
    page_times = []
    for _ in range(args.selections):
        agency, service, district = catalog.selection(rng)
        month = rng.choice(months)
        selection = Selection(agency=agency, service_type=service, layer=COUNCIL, area=district)
        seconds, rows = timed(
            lambda s=selection, m=month: queries.sla_compliance(first_month=m, selection=s),
            args.runs,
        )
        page_times.append(seconds)
        requests = sum(row.requests for row in rows)
        print(
            f"  {month} {agency} {service} district {district}: {requests} requests, "
            f"{seconds * 1000:.0f} ms"
        )
    print(
        "SLA compliance, one agency x service x district x month: "
        f"median {median(page_times) * 1000:.0f} ms, "
        f"slowest selection {max(page_times) * 1000:.0f} ms (goal < 1000 ms)"
    )
    whole, rows = timed(
        lambda: queries.sla_compliance(
            first_month=months[-2], selection=Selection(agency="AG00", layer=COUNCIL)
        ),
        args.runs,
    )
    print(
        f"SLA compliance, one agency's month by service x district ({len(rows)} rows): "
        f"{whole * 1000:.0f} ms"
    )
    year = date.fromisoformat(months[-13] + "-01")
    weekly, points = timed(
        lambda: queries.volume_over_time(
            dimension=Dimension.AGENCY,
            period=Period.WEEK,
            start=year,
            end=date.fromisoformat(months[-1] + "-01"),
        ),
        args.runs,
    )
    print(
        f"volume by week and agency over a year, with the year before ({len(points)} rows): "
        f"{weekly * 1000:.0f} ms"
    )

    refresh_times = []
    for round_number in range(args.rounds):
        started = time.perf_counter()
        file_requests(args.new, seed=round_number)
        filed = time.perf_counter() - started
        started = time.perf_counter()
        result = analytics_refresh()
        refresh_times.append(time.perf_counter() - started)
        print(
            f"  round {round_number + 1}: {args.new:,} requests filed in {filed:.0f} s; "
            f"refresh wrote {result.requests:,} into {', '.join(result.months)} "
            f"in {refresh_times[-1]:.2f} s"
        )
    print(
        f"incremental refresh after {args.new:,} new requests: "
        f"median {median(refresh_times):.2f} s (goal < 5 s); "
        f"database {ServiceRequest.objects.count():,} requests"
    )


if __name__ == "__main__":
    sys.exit(main())
