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

A day's history gives the same fit all day, and fitting a year of calls takes seconds: each fit is
stored as a JSON file beside the store (`forecasts/<day>/`), made by the worker after the first
analytics refresh of the day (`forecasts_prepare`) for the calls and for every request, and by the
page itself for any other series asked before the worker made it. The page says when its fits
were made.
"""

import hashlib
import json
import os
import shutil
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from cityline.analytics import queries
from cityline.analytics.staffing import HALF_HOUR, Staffing, staffing_for
from cityline.analytics.store import store_root
from cityline.contacts.selectors import phone_contact_times
from cityline.core import clock

HORIZON_DAYS = 56
HISTORY_DAYS = 365
WEEK = 7
# Two weekly seasons to estimate the season from, two more to see a trend.
SHORTEST_HISTORY = 4 * WEEK
SLOTS = 24 * 3600 // HALF_HOUR
FORECASTS = "forecasts"


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
    computed_at: datetime  # when the oldest of its fits was made


Fitted = tuple[DailyForecast | None, int | None]


def _fit(history: Sequence[int], first_day: date) -> Fitted:
    try:
        return daily_forecast(history, first_day=first_day), None
    except ShortHistory as short:
        return None, short.days


def _fitted_json(fitted: Fitted) -> dict[str, Any]:
    forecast, short = fitted
    if forecast is None:
        return {"forecast": None, "short": short}
    days = [[day.isoformat(), value] for day, value in forecast.days]
    return {"forecast": {**asdict(forecast), "days": days}, "short": short}


def _fitted_read(data: dict[str, Any]) -> Fitted:
    forecast = data["forecast"]
    if forecast is None:
        return None, data["short"]
    days = [(date.fromisoformat(day), value) for day, value in forecast["days"]]
    return DailyForecast(**{**forecast, "days": days}), data["short"]


def _history_json(history: CallHistory) -> dict[str, Any]:
    return {**asdict(history), "first_day": history.first_day.isoformat()}


def _history_read(data: dict[str, Any]) -> CallHistory:
    profile = {int(weekday): shares for weekday, shares in data["profile"].items()}
    return CallHistory(
        daily=data["daily"],
        first_day=date.fromisoformat(data["first_day"]),
        profile=profile,
        average_handle_seconds=data["average_handle_seconds"],
    )


def _forecasts_dir(end_day: date) -> Path:
    return store_root() / FORECASTS / end_day.isoformat()


def _fit_path(name: str, end_day: date) -> Path:
    return _forecasts_dir(end_day) / f"{hashlib.sha256(name.encode()).hexdigest()}.json"


# The fits the worker makes each day: the calls', and that of every request.
_CALLS = "calls"
_EVERY_REQUEST = (None, None)


def _requests_name(channel: str | None, service_group: str | None) -> str:
    return f"requests {channel!r} {service_group!r}"


def _stored(
    name: str, end_day: date, compute: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any], datetime]:
    """The fit `name` of the history ending `end_day` and when it was made: read from its file,
    or made now and stored (written beside and renamed, so a reader gets a whole file)."""
    path = _fit_path(name, end_day)
    try:
        stored = json.loads(path.read_text())
        return stored["fit"], datetime.fromisoformat(stored["computed_at"])
    except FileNotFoundError:
        pass
    computed_at = clock.now()
    fit = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_text(
            json.dumps({"name": name, "computed_at": computed_at.isoformat(), "fit": fit})
        )
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return fit, computed_at


def _calls_fitted(first_day: date, end_day: date) -> tuple[CallHistory, Fitted, datetime]:
    def compute() -> dict[str, Any]:
        history = call_history(first_day=first_day, end_day=end_day)
        return {
            "history": _history_json(history),
            "fitted": _fitted_json(_fit(history.daily, first_day)),
        }

    fit, computed_at = _stored(_CALLS, end_day, compute)
    return _history_read(fit["history"]), _fitted_read(fit["fitted"]), computed_at


def _requests_fitted(
    first_day: date, end_day: date, channel: str | None, service_group: str | None
) -> tuple[Fitted, datetime]:
    def compute() -> dict[str, Any]:
        history = request_history(
            first_day=first_day, end_day=end_day, channel=channel, service_group=service_group
        )
        return _fitted_json(_fit(history, first_day))

    fit, computed_at = _stored(_requests_name(channel, service_group), end_day, compute)
    return _fitted_read(fit), computed_at


def forecasts_prepare(*, today: date | None = None) -> None:
    """Fit today's forecasts of calls and of every request unless stored already, and remove
    the fits of other days."""
    first_day, end_day = history_window(today=today)
    _calls_fitted(first_day, end_day)
    _requests_fitted(first_day, end_day, *_EVERY_REQUEST)
    for folder in (store_root() / FORECASTS).iterdir():
        if folder.name != end_day.isoformat():
            shutil.rmtree(folder, ignore_errors=True)


def forecasts_due(*, today: date | None = None) -> bool:
    """Whether today's forecasts of calls or of every request are still to be fitted."""
    end_day = history_window(today=today)[1]
    names = (_CALLS, _requests_name(*_EVERY_REQUEST))
    return not all(_fit_path(name, end_day).is_file() for name in names)


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
    history, (calls, calls_short), computed_at = _calls_fitted(first_day, end_day)
    demand, demand_short = calls, calls_short
    if requests:
        (demand, demand_short), requests_at = _requests_fitted(
            first_day, end_day, channel, service_group
        )
        computed_at = min(computed_at, requests_at)
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
    return Plan(demand, demand_short, calls, calls_short, handle, half_hours, computed_at)
