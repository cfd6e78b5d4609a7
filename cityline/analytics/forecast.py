"""Demand forecasts: daily calls (the contact center's phone contacts) or requests (by channel and
service group, from the store) for the next eight weeks, each with its backtest error; and the
call-takers each half hour of those weeks needs.

The model is Holt-Winters exponential smoothing (statsmodels): a damped additive trend and an
additive weekly season, fitted to the last year of days. Its backtest fits the same model to the
history less its last eight weeks and compares what it forecast for them with what came: the mean
absolute percentage error over the days that had any demand (MAPE).

Staffing spreads each day's forecast calls over its half hours by the history's share of each
weekday's calls per half hour, and asks Erlang C (`staffing.py`) for the agents each needs, at the
history's average handle time unless one is given.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.core.cache import cache

from cityline.analytics import queries
from cityline.analytics.staffing import HALF_HOUR, Staffing, staffing_for
from cityline.contacts.selectors import phone_contact_times
from cityline.core import clock

HORIZON_DAYS = 56
HISTORY_DAYS = 365
WEEK = 7
# Two weekly seasons to estimate the season from, two more to see a trend.
SHORTEST_HISTORY = 4 * WEEK
SLOTS = 24 * 3600 // HALF_HOUR
# A day's history gives the same forecast all day: fitted once, read from the cache after.
CACHE_SECONDS = 6 * 3600


class ShortHistory(Exception):
    """Too few days of demand to fit a weekly season to."""

    def __init__(self, days: int) -> None:
        super().__init__(f"a forecast needs {SHORTEST_HISTORY} days of history; this has {days}")
        self.days = days


@dataclass(frozen=True)
class DailyForecast:
    days: list[tuple[date, float]]
    # Mean absolute percentage error of the backtest (a share: 0.1 is 10 %), over `backtest_days`
    # held-out days; None when the history is too short to hold any out.
    mape: float | None
    backtest_days: int
    history_days: int


@dataclass(frozen=True)
class CallHistory:
    daily: list[int]  # calls per city day, from `first_day`, one entry a day
    first_day: date
    # Per weekday (Monday 0), each half hour's share of that weekday's calls.
    profile: dict[int, list[float]]
    average_handle_seconds: float | None


@dataclass(frozen=True)
class HalfHour:
    day: date
    start: time
    staffing: Staffing


def city_day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=clock.city_timezone())


def history_window(*, today: date | None = None) -> tuple[date, date]:
    """The history a forecast learns from: the year of whole days before today (the city's)."""
    today = today or clock.to_city_time(clock.now()).date()
    return today - timedelta(days=HISTORY_DAYS), today


def call_history(*, first_day: date, end_day: date) -> CallHistory:
    """The phone contacts offered from `first_day` to before `end_day` (city days): per day, per
    weekday's half hour, and their average handle time (answered to ended)."""
    daily = [0] * (end_day - first_day).days
    by_slot: dict[int, list[int]] = defaultdict(lambda: [0] * SLOTS)
    handled = 0.0
    ended = 0
    for queued, answered, finished in phone_contact_times(
        start=city_day_start(first_day), end=city_day_start(end_day)
    ):
        local = clock.to_city_time(queued)
        daily[(local.date() - first_day).days] += 1
        by_slot[local.weekday()][(local.hour * 3600 + local.minute * 60) // HALF_HOUR] += 1
        if answered is not None and finished is not None:
            handled += (finished - answered).total_seconds()
            ended += 1
    profile = {}
    for weekday in range(WEEK):
        counts = by_slot.get(weekday)
        total = sum(counts) if counts else 0
        # A weekday without calls in the history gets none forecast in any half hour.
        profile[weekday] = (
            [count / total for count in counts] if counts and total else [0.0] * SLOTS
        )
    return CallHistory(
        daily=daily,
        first_day=first_day,
        profile=profile,
        average_handle_seconds=handled / ended if ended else None,
    )


def request_history(
    *, first_day: date, end_day: date, channel: str | None, service_group: str | None
) -> list[int]:
    """Requests received per city day from `first_day` to before `end_day`, of one channel and
    service group (None: every one), from the store."""
    daily = [0] * (end_day - first_day).days
    points = queries.volume_over_time(
        dimension=queries.Dimension.CHANNEL,
        period=queries.Period.DAY,
        start=first_day,
        end=end_day,
        selection=queries.Selection(channel=channel, service_group=service_group),
    )
    for point in points:
        daily[(point.period - first_day).days] += point.requests
    return daily


def _trimmed(history: Sequence[int]) -> Sequence[int]:
    """The history from its first day with demand: days before a service started (or before
    the store's first request) would read as a collapse in demand."""
    for index, count in enumerate(history):
        if count:
            return history[index:]
    return []


def holt_winters(history: Sequence[float], horizon: int) -> list[float]:
    """The next `horizon` days of a daily series, never below zero."""
    # statsmodels takes a second to import: only the forecast page and command pay for it.
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    if max(history) == min(history):
        # A flat series has no season to fit; its forecast is itself.
        return [float(history[-1])] * horizon
    model = ExponentialSmoothing(
        [float(value) for value in history],
        trend="add",
        damped_trend=True,
        seasonal="add",
        seasonal_periods=WEEK,
        initialization_method="estimated",
        # The brute-force search for starting values costs a second a fit and backtested no
        # better on the demo's calls and requests.
    ).fit(use_brute=False)
    return [max(float(value), 0.0) for value in model.forecast(horizon)]


def mape(actual: Iterable[float], predicted: Iterable[float]) -> float | None:
    """Mean absolute percentage error over the days with demand; None when none had any."""
    errors = [abs(a - p) / a for a, p in zip(actual, predicted, strict=True) if a > 0]
    return sum(errors) / len(errors) if errors else None


def daily_forecast(
    history: Sequence[int], *, first_day: date, horizon: int = HORIZON_DAYS
) -> DailyForecast:
    """The `horizon` days after a history of daily counts (from `first_day`), with its backtest
    over the history's last `horizon` days (fewer when the history is short)."""
    used = _trimmed(history)
    if len(used) < SHORTEST_HISTORY:
        raise ShortHistory(len(used))
    held_out = min(horizon, len(used) - SHORTEST_HISTORY)
    error = None
    if held_out >= WEEK:
        fitted = holt_winters(used[:-held_out], held_out)
        error = mape(used[-held_out:], fitted)
    else:
        held_out = 0
    start = first_day + timedelta(days=len(history))
    predicted = holt_winters(used, horizon)
    return DailyForecast(
        days=[(start + timedelta(days=i), value) for i, value in enumerate(predicted)],
        mape=error,
        backtest_days=held_out,
        history_days=len(used),
    )


def half_hour_staffing(
    *,
    forecast: DailyForecast,
    profile: dict[int, list[float]],
    handle_seconds: float,
    target_seconds: float,
    level: float,
) -> list[HalfHour]:
    """Each forecast day's half hours that expect calls, with the agents they need."""
    plan = []
    for day, calls in forecast.days:
        for slot, share in enumerate(profile[day.weekday()]):
            if share == 0 or calls == 0:
                continue
            seconds = slot * HALF_HOUR
            plan.append(
                HalfHour(
                    day=day,
                    start=time(seconds // 3600, seconds % 3600 // 60),
                    staffing=staffing_for(
                        calls=calls * share,
                        handle_seconds=handle_seconds,
                        target_seconds=target_seconds,
                        level=level,
                    ),
                )
            )
    return plan


@dataclass(frozen=True)
class Plan:
    """A page's worth: the asked series' forecast, and the staffing drawn from the calls'. Where
    the history is too short to forecast, the forecast is None and `*_short` its days."""

    demand: DailyForecast | None
    demand_short: int | None
    calls: DailyForecast | None
    calls_short: int | None
    handle_seconds: float | None
    half_hours: list[HalfHour]


Fitted = tuple[DailyForecast | None, int | None]
T = TypeVar("T")


def _fit(history: Sequence[int], first_day: date) -> Fitted:
    try:
        return daily_forecast(history, first_day=first_day), None
    except ShortHistory as short:
        return None, short.days


def _cached(key: str, compute: Callable[[], T]) -> T:
    digest = hashlib.sha256(key.encode()).hexdigest()
    value: T | None = cache.get(f"forecast:{digest}")
    if value is None:
        value = compute()
        cache.set(f"forecast:{digest}", value, CACHE_SECONDS)
    return value


def plan_make(
    *,
    requests: bool,
    channel: str | None = None,
    service_group: str | None = None,
    handle_seconds: float | None = None,
    target_seconds: float = 30,
    level: float = 0.8,
    today: date | None = None,
) -> Plan:
    """The next eight weeks from today (the city's): the demand of calls, or of requests of a
    channel and service group, and the agents each half hour's calls need."""
    first_day, end_day = history_window(today=today)

    def calls_fitted() -> tuple[CallHistory, Fitted]:
        history = call_history(first_day=first_day, end_day=end_day)
        return history, _fit(history.daily, first_day)

    history, (calls, calls_short) = _cached(f"calls {end_day}", calls_fitted)
    demand, demand_short = calls, calls_short
    if requests:
        demand, demand_short = _cached(
            f"requests {end_day} {channel!r} {service_group!r}",
            lambda: _fit(
                request_history(
                    first_day=first_day,
                    end_day=end_day,
                    channel=channel,
                    service_group=service_group,
                ),
                first_day,
            ),
        )
    handle = handle_seconds or history.average_handle_seconds
    half_hours = []
    if calls is not None and handle:
        half_hours = half_hour_staffing(
            forecast=calls,
            profile=history.profile,
            handle_seconds=handle,
            target_seconds=target_seconds,
            level=level,
        )
    return Plan(demand, demand_short, calls, calls_short, handle, half_hours)
