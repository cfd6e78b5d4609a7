"""Spikes in intake: a series (a service type in a district) receiving far more requests in a
window than its history makes usual. Pure functions over counts; the store's reads are in
`spike_services.py`, and `bench/spikes.py` replays real years through the same functions.

The usual count of a window is the sum, over the hours it covers, of the series' expected
requests in that hour of that weekday:

    rate(series, weekday, hour) = weekly level of the series
                                  x seasonal factor of its service type
                                  x share of the week's requests in that weekday and hour

- the weekly level is the series' requests in the history divided by its weeks;
- the seasonal factor is the service type's requests of the last `recent_days` against what its
  whole history predicts for so many days (heating complaints in January), shrunk towards 1 by
  `SEASON_PRIOR` requests so a handful do not swing it;
- the weekday x hour shares are the series' own, shrunk towards its service type's, which are
  shrunk towards those of every series in the history (`PROFILE_PRIOR` requests each): a quiet
  district borrows the shape of its type's week, a busy one keeps its own.

Counts vary more than Poisson's from day to day (weather, a water main), so the tail is
negative binomial: variance = mean + alpha x mean², alpha estimated per service type by the
method of moments from each series' daily counts against its weekday mean. A window is a spike
when the chance of at least its count is below `Thresholds.tail_probability` and it holds at
least `Thresholds.min_count` requests (two requests where none are usual are not a spike). A
spike ends at the first check whose window holds fewer than the minimum or is no longer unusual
at the looser `Thresholds.end_probability`, so a spike that hovers at the threshold is not raised
twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
from scipy import stats

WEEK_HOURS = 7 * 24
# Pseudo-requests behind each level of the weekday x hour shares, and behind the seasonal factor.
PROFILE_PRIOR = 168.0
SEASON_PRIOR = 10.0
# Beyond this the daily counts say more about a few event days than about the series' spread.
MAX_ALPHA = 2.0


class SeriesKey(NamedTuple):
    service_code: str
    area_code: str


class HourCount(NamedTuple):
    """Requests of one series received in one hour of one day (the city's)."""

    service_code: str
    area_code: str
    day: date
    hour: int
    requests: int


@dataclass(frozen=True)
class Thresholds:
    tail_probability: float
    end_probability: float
    min_count: int


@dataclass(frozen=True)
class SeriesBaseline:
    # Expected requests in each hour of the week, Monday 00:00 first (index weekday x 24 + hour).
    hourly: np.ndarray
    alpha: float


@dataclass(frozen=True)
class Baseline:
    series: dict[SeriesKey, SeriesBaseline]
    # For a series the history never saw: one request over the history, its type's shape.
    unseen: dict[str, SeriesBaseline]
    days: int


@dataclass(frozen=True)
class SeriesCheck:
    key: SeriesKey
    observed: int
    expected: float
    tail_probability: float
    is_spike: bool
    is_quiet: bool


def _profile(cells: np.ndarray, prior: np.ndarray) -> np.ndarray:
    return (cells + PROFILE_PRIOR * prior) / (cells.sum() + PROFILE_PRIOR)


def baseline_build(
    *, counts: Iterable[HourCount], first_day: date, end_day: date, recent_days: int
) -> Baseline:
    """The baseline of every series in `counts`, the requests received from `first_day` to the
    day before `end_day`; the last `recent_days` of them set the seasonal factor."""
    days = (end_day - first_day).days
    if days < 7:
        raise ValueError("a baseline needs at least a week of history")
    recent_start = end_day - timedelta(days=min(recent_days, days))
    cells: dict[SeriesKey, np.ndarray] = {}
    daily: dict[SeriesKey, dict[date, int]] = {}
    recent: dict[str, int] = {}
    for row in counts:
        key = SeriesKey(row.service_code, row.area_code)
        if key not in cells:
            cells[key] = np.zeros(WEEK_HOURS)
            daily[key] = {}
        cells[key][row.day.weekday() * 24 + row.hour] += row.requests
        daily[key][row.day] = daily[key].get(row.day, 0) + row.requests
        if row.day >= recent_start:
            recent[row.service_code] = recent.get(row.service_code, 0) + row.requests
    weekdays = np.array(
        [
            sum(1 for d in range(days) if (first_day + timedelta(d)).weekday() == wd)
            for wd in range(7)
        ]
    )
    by_type: dict[str, list[SeriesKey]] = {}
    for key in cells:
        by_type.setdefault(key.service_code, []).append(key)
    everyone = _profile(
        sum(cells.values(), np.zeros(WEEK_HOURS)), np.full(WEEK_HOURS, 1 / WEEK_HOURS)
    )
    weeks = days / 7
    series: dict[SeriesKey, SeriesBaseline] = {}
    unseen: dict[str, SeriesBaseline] = {}
    for code, keys in by_type.items():
        type_cells = sum((cells[key] for key in keys), np.zeros(WEEK_HOURS))
        type_profile = _profile(type_cells, everyone)
        total = type_cells.sum()
        recent_share = (recent_start - first_day).days
        predicted = total * (days - recent_share) / days
        season = (recent.get(code, 0) + SEASON_PRIOR) / (predicted + SEASON_PRIOR)
        alpha = _dispersion([daily[key] for key in keys], weekdays)
        for key in keys:
            level = cells[key].sum() / weeks * season
            series[key] = SeriesBaseline(level * _profile(cells[key], type_profile), alpha)
        unseen[code] = SeriesBaseline(season / weeks * type_profile, alpha)
    return Baseline(series=series, unseen=unseen, days=days)


def _dispersion(series_days: list[dict[date, int]], weekdays: np.ndarray) -> float:
    """alpha in variance = mean + alpha x mean², from each series' daily counts (days without a
    request count as zeros) about its weekday's mean."""
    excess = 0.0
    squares = 0.0
    for days in series_days:
        sums = np.zeros(7)
        sums_sq = np.zeros(7)
        for day, count in days.items():
            sums[day.weekday()] += count
            sums_sq[day.weekday()] += count * count
        means = sums / weekdays
        excess += float((sums_sq - weekdays * means * means - weekdays * means).sum())
        squares += float((weekdays * means * means).sum())
    if squares == 0:
        return 0.0
    return min(max(excess / squares, 0.0), MAX_ALPHA)


def expected_count(*, baseline: SeriesBaseline, start: datetime, end: datetime, zone: str) -> float:
    """The usual requests from `start` to `end`: each hour of the city's clock it overlaps, in
    proportion."""
    tz = ZoneInfo(zone)
    local = start.astimezone(tz)
    hour_start = local.replace(minute=0, second=0, microsecond=0)
    total = 0.0
    while hour_start < end:
        hour_end = hour_start + timedelta(hours=1)
        overlap = (min(hour_end, end) - max(hour_start, start)).total_seconds() / 3600
        if overlap > 0:
            at = hour_start.astimezone(tz)
            total += overlap * float(baseline.hourly[at.weekday() * 24 + at.hour])
        hour_start = hour_end
    return total


def tail_probability(*, observed: int, expected: float, alpha: float) -> float:
    """The chance of at least `observed` requests where `expected` are usual."""
    if observed <= 0:
        return 1.0
    if alpha <= 0:
        return float(stats.poisson.sf(observed - 1, expected))
    size = 1 / alpha
    return float(stats.nbinom.sf(observed - 1, size, size / (size + expected)))


def series_baseline(*, baseline: Baseline, key: SeriesKey) -> SeriesBaseline | None:
    """The series' baseline; for a district where its service type was never seen, the type's
    shape for one request over the history; None for a service type the history never saw."""
    known = baseline.series.get(key)
    if known is not None:
        return known
    return baseline.unseen.get(key.service_code)


def series_check(
    *,
    baseline: Baseline,
    key: SeriesKey,
    observed: int,
    start: datetime,
    end: datetime,
    zone: str,
    thresholds: Thresholds,
) -> SeriesCheck:
    found = series_baseline(baseline=baseline, key=key)
    if found is None:
        # A service type with no history has nothing to be unusual against.
        return SeriesCheck(key, observed, 0.0, 1.0, False, True)
    expected = expected_count(baseline=found, start=start, end=end, zone=zone)
    tail = tail_probability(observed=observed, expected=expected, alpha=found.alpha)
    return SeriesCheck(
        key=key,
        observed=observed,
        expected=expected,
        tail_probability=tail,
        is_spike=observed >= thresholds.min_count and tail < thresholds.tail_probability,
        is_quiet=observed < thresholds.min_count or tail >= thresholds.end_probability,
    )


def spikes_detect(
    *,
    baseline: Baseline,
    observed: Mapping[SeriesKey, int],
    start: datetime,
    end: datetime,
    zone: str,
    thresholds: Thresholds,
    also: Iterable[SeriesKey] = (),
) -> dict[SeriesKey, SeriesCheck]:
    """Every series with at least the minimum count in the window (no other can be raised), and
    the series of `also` (the open spikes, to tell whether each has ended), checked against the
    baseline."""
    keys = {key for key, count in observed.items() if count >= thresholds.min_count} | set(also)
    return {
        key: series_check(
            baseline=baseline,
            key=key,
            observed=observed.get(key, 0),
            start=start,
            end=end,
            zone=zone,
            thresholds=thresholds,
        )
        for key in keys
    }
