"""Spike detector: false alarms and recall, replaying a year of intake check by check.

Each history is read straight from its files (or, for the demo city, from the store a full
refresh wrote) as requests per service type x district x hour of the city's clock. It is then
replayed as the worker runs the detector (`cityline.analytics.spikes`): every `--step-hours` a
check of the `CITYLINE_SPIKE_WINDOW_HOURS` window that ends then, against a baseline of the days
before (rebuilt every `--rebuild-days`; the worker reads it afresh at each check, and a week moves
a year's level by a fiftieth), every series with requests in the window or an open spike checked,
a spike open from the check that raised it until a check finds it quiet.

- False alarms: the histories have no list of known events, so every spike raised counts as a
  false alarm (an upper bound: a real burst counts too). The rate is spikes raised per 1,000
  series-weeks, a series being a service type x district with at least one request in the
  baseline of the week checked.
- Recall: `--injections` times, a random series (among those with a baseline) and a random check
  get `k` extra requests spread over the window; detected when that check raises it.

    .venv/bin/python bench/spikes.py               # demo city, NYC elevator 2024, Boston 2015
    .venv/bin/python bench/spikes.py --skip-demo --injections 200
"""

import argparse
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
from common import REPO, cityline, demo_city, machine

from cityline.analytics.spikes import (
    Baseline,
    HourCount,
    SeriesKey,
    Thresholds,
    baseline_build,
    series_check,
    spikes_detect,
)

DATA = REPO.parent / "shared" / "data"
NYC = DATA / "nyc311-elevator-2024" / "clean_requests.parquet"
BOSTON = DATA / "boston311-2015" / "boston311_2015_combined.csv.gz"

# Requests per series, day and hour of the city's clock, from the raw files. NYC's times are
# local already; Boston's too, written 01/01/2015 12:20:09 AM. Boston's employee-generated and
# city-worker-app cases are the city's own, left out as proactive requests are by the worker.
NYC_SQL = f"""
SELECT descriptor, community_board, CAST(created_date AS DATE), hour(created_date), count(*)
FROM read_parquet('{NYC}')
WHERE community_board IS NOT NULL AND community_board NOT LIKE '%Unspecified%'
GROUP BY ALL
"""
BOSTON_SQL = f"""
WITH cases AS (
  SELECT "TYPE" AS service, city_council_district AS district,
         strptime(OPEN_DT, '%m/%d/%Y %I:%M:%S %p') AS opened
  FROM read_csv('{BOSTON}', all_varchar = true, header = true)
  WHERE Source NOT IN ('Employee Generated', 'City Worker App')
    AND city_council_district IS NOT NULL AND city_council_district <> ''
)
SELECT service, district, CAST(opened AS DATE), hour(opened), count(*) FROM cases GROUP BY ALL
"""
DEMO_SQL = """
SELECT service_code, areas['community-boards'], requested_on, hour(requested_at), count(*)
FROM read_parquet('{glob}', hive_partitioning = true)
WHERE NOT proactive AND areas['community-boards'] IS NOT NULL
GROUP BY ALL
"""


@dataclass
class Figures:
    checks: int = 0
    series_weeks: float = 0.0
    raised: int = 0


def hour_counts(sql: str, zone: str | None = None) -> list[HourCount]:
    with duckdb.connect() as connection:
        if zone:
            connection.execute(f"SET TimeZone = '{zone}'")
        return [
            HourCount(str(service), str(area), day, int(hour), int(n))
            for service, area, day, hour, n in connection.execute(sql).fetchall()
        ]


def by_hour(counts: Iterable[HourCount]) -> dict[tuple[date, int], dict[SeriesKey, int]]:
    hours: dict[tuple[date, int], dict[SeriesKey, int]] = defaultdict(dict)
    for row in counts:
        hours[(row.day, row.hour)][SeriesKey(row.service_code, row.area_code)] = row.requests
    return hours


def window_counts(
    hours: dict[tuple[date, int], dict[SeriesKey, int]], end: datetime, window: int
) -> dict[SeriesKey, int]:
    """Requests of each series in the `window` hours before `end` (a whole hour, city clock)."""
    counts: dict[SeriesKey, int] = defaultdict(int)
    for back in range(1, window + 1):
        at = end - timedelta(hours=back)
        for key, n in hours.get((at.date(), at.hour), {}).items():
            counts[key] += n
    return counts


def replay(
    name: str,
    counts: list[HourCount],
    *,
    zone: str,
    args: argparse.Namespace,
    thresholds: Thresholds,
) -> None:
    started = time.perf_counter()
    tz = ZoneInfo(zone)
    days = sorted({row.day for row in counts})
    first, last = days[0], days[-1]
    hours = by_hour(counts)
    window = args.window_hours
    rng = random.Random(args.seed)
    figures = Figures()
    open_spikes: set[SeriesKey] = set()
    # Injected spikes are checked apart, in a series drawn uniformly (most are quiet) and in one
    # drawn by its requests (where requests, and so spikes, mostly are): per draw and k.
    found: dict[tuple[str, int], int] = defaultdict(int)
    by_month: dict[str, int] = defaultdict(int)
    tried: dict[tuple[str, int], int] = defaultdict(int)
    baseline: Baseline | None = None
    start_day = first + timedelta(days=args.warmup_days)
    plan = [
        (start_day + timedelta(days=n), n % args.rebuild_days == 0)
        for n in range((last - start_day).days + 1)
    ]
    # The injections, drawn over the checks to come (their series once the baseline is known).
    checks_per_day = 24 // args.step_hours
    injection_slots = {
        (rng.randrange(len(plan)), rng.randrange(checks_per_day)) for _ in range(args.injections)
    }
    for day_index, (day, rebuild) in enumerate(plan):
        if rebuild:
            history_start = max(first, day - timedelta(weeks=args.history_weeks))
            baseline = baseline_build(
                counts=[row for row in counts if history_start <= row.day < day],
                first_day=history_start,
                end_day=day,
                recent_days=args.recent_weeks * 7,
            )
        assert baseline is not None
        series = sorted(baseline.series)
        figures.series_weeks += len(series) / 7
        for slot in range(checks_per_day):
            end = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
                hours=(slot + 1) * args.step_hours
            )
            local_end = end.astimezone(tz).replace(tzinfo=None)
            observed = window_counts(hours, local_end, window)
            start = end - timedelta(hours=window)
            figures.checks += 1
            checks = spikes_detect(
                baseline=baseline,
                observed=observed,
                start=start,
                end=end,
                zone=zone,
                thresholds=thresholds,
                also=open_spikes,
            )
            for key, check in checks.items():
                if key in open_spikes:
                    if check.is_quiet:
                        open_spikes.discard(key)
                elif check.is_spike:
                    open_spikes.add(key)
                    figures.raised += 1
                    by_month[f"{day:%Y-%m}"] += 1
            if (day_index, slot) in injection_slots and series:
                volumes = [float(baseline.series[key].hourly.sum()) for key in series]
                draws = {
                    "uniform": rng.choice(series),
                    "by requests": rng.choices(series, weights=volumes)[0],
                }
                for draw, key in draws.items():
                    for k in args.inject:
                        check = series_check(
                            baseline=baseline,
                            key=key,
                            observed=observed.get(key, 0) + k,
                            start=start,
                            end=end,
                            zone=zone,
                            thresholds=thresholds,
                        )
                        tried[(draw, k)] += 1
                        found[(draw, k)] += check.is_spike
    rate = 1000 * figures.raised / figures.series_weeks if figures.series_weeks else 0.0
    weeks = len(plan) / 7
    print(
        f"  {name}: {len(counts):,} series-hours with requests, "
        f"{sum(row.requests for row in counts):,} requests, {first} to {last}; "
        f"replayed {len(plan)} days ({figures.checks:,} checks) in "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(
        f"    false alarms: {figures.raised} spikes raised over {weeks:.1f} weeks, "
        f"{figures.series_weeks:,.0f} series-weeks: {rate:.2f} per 1,000 series-weeks, "
        f"{figures.raised / weeks:.2f} a week citywide"
    )
    print("    raised by month: " + ", ".join(f"{m} {n}" for m, n in sorted(by_month.items())))
    for draw in ("uniform", "by requests"):
        print(
            f"    recall of injected spikes, series drawn {draw}: "
            + ", ".join(
                f"+{k}: {found[(draw, k)]}/{tried[(draw, k)]} "
                f"({100 * found[(draw, k)] / tried[(draw, k)]:.0f} %)"
                for k in args.inject
                if tried[(draw, k)]
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo-requests", type=int, default=50_000)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--window-hours", type=int, default=3)
    parser.add_argument("--step-hours", type=int, default=1, choices=[1, 2, 3, 4, 6, 8, 12, 24])
    parser.add_argument("--history-weeks", type=int, default=52)
    parser.add_argument("--recent-weeks", type=int, default=4)
    parser.add_argument("--warmup-days", type=int, default=28)
    parser.add_argument("--rebuild-days", type=int, default=7)
    parser.add_argument("--tail-probability", type=float, default=0.0001)
    parser.add_argument("--end-probability", type=float, default=0.01)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--injections", type=int, default=300)
    parser.add_argument("--inject", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--seed", type=int, default=311)
    args = parser.parse_args()
    thresholds = Thresholds(
        tail_probability=args.tail_probability,
        end_probability=args.end_probability,
        min_count=args.min_count,
    )
    print(f"machine: {machine()}")
    print(
        f"window {args.window_hours} h, a check every {args.step_hours} h, tail < "
        f"{thresholds.tail_probability}, at least {thresholds.min_count} requests, ends at "
        f"tail >= {thresholds.end_probability}; {args.history_weeks} weeks of history at most, "
        f"season from the last {args.recent_weeks}, baseline rebuilt every "
        f"{args.rebuild_days} days after {args.warmup_days} days"
    )
    if not args.skip_demo:
        with demo_city("sqlite", requests=args.demo_requests) as (env, _):
            cityline(env, "analytics", "refresh", "--full")
            glob = f"{env['CITYLINE_VAR_DIR']}/analytics/requests/*/*.parquet"
            zone = env.get("CITYLINE_TIME_ZONE", "America/New_York")
            counts = hour_counts(DEMO_SQL.format(glob=glob), zone)
        replay("demo city", counts, zone=zone, args=args, thresholds=thresholds)
    for name, path, sql in (
        ("NYC elevator 2024", NYC, NYC_SQL),
        ("Boston 2015", BOSTON, BOSTON_SQL),
    ):
        if not path.exists():
            print(f"  {name}: skipped, {path} is not beside the repository")
            continue
        counts = hour_counts(sql)
        replay(name, counts, zone="America/New_York", args=args, thresholds=thresholds)
    print(f"finished {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
