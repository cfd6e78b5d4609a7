"""How many requests of each type the demo city receives on each day.

A type's expected volume on a day is its share of the city's requests, times its season (the
month), its weekly rhythm, slow growth year on year, fewer requests on public holidays (and for
some types more the day after), bursts from weather events, and day-to-day noise. Expected counts
are then rounded, at random but reproducibly, to whole requests that add up to the total asked.

Everything random here is drawn per day (or per season) from the seed alone, so a day keeps its
volume as the window of days moves on.
"""

import calendar
import random
from collections.abc import Container, Sequence
from datetime import date, timedelta

import numpy as np

from cityline.demo.content import EventContent, HistoryContent, TypeHistory

# Growth and channel trends are measured from a fixed day, so the same day always weighs the same.
TREND_ANCHOR = date(2025, 1, 1)


def daily_counts(
    *,
    profiles: Sequence[tuple[str, TypeHistory]],
    dates: Sequence[date],
    days_off: Container[date],
    content: HistoryContent,
    seed: int,
    today_share: Sequence[float],
    total: int,
) -> np.ndarray:
    """Requests per (day, type): exactly `total` in all. The last day is today, of which only
    `today_share` (per type) has gone by."""
    weights = _daily_weights(profiles, dates, days_off, content, seed)
    weights[-1] *= today_share
    return _counts(weights, _rounding_offsets(len(profiles), dates, seed), total)


def _daily_weights(
    profiles: Sequence[tuple[str, TypeHistory]],
    dates: Sequence[date],
    days_off: Container[date],
    content: HistoryContent,
    seed: int,
) -> np.ndarray:
    weights = np.empty((len(dates), len(profiles)))
    boosts = _event_multipliers(content.events, dates, [code for code, _ in profiles], seed)
    shape = content.daily_noise_shape
    for d, day in enumerate(dates):
        growth = content.yearly_growth ** ((day - TREND_ANCHOR).days / 365.25)
        holiday = day in days_off
        after_holiday = (day - timedelta(days=1)) in days_off
        noise = np.random.default_rng([seed, day.toordinal()]).gamma(
            shape, 1 / shape, len(profiles)
        )
        for t, (code, p) in enumerate(profiles):
            w = p.share * p.months[day.month - 1] * p.weekdays[day.weekday()] * growth
            if holiday:
                w *= content.holiday_volume
            if after_holiday:
                w *= content.day_after_holiday.get(code, 1.0)
            weights[d, t] = w * noise[t] * boosts[d, t]
    return weights


def _event_multipliers(
    events: Sequence[EventContent], dates: Sequence[date], codes: list[str], seed: int
) -> np.ndarray:
    """How much each weather event multiplies each type's volume on each day. Event days are
    drawn per season from the seed alone, so they do not move as the window moves."""
    boosts = np.ones((len(dates), len(codes)))
    index = {day: i for i, day in enumerate(dates)}
    for event in events:
        # A winter season that starts in December belongs to the year of its January.
        wraps = any(m >= 7 for m in event.months) and any(m < 7 for m in event.months)
        for season in range(dates[0].year, dates[-1].year + 2):
            candidates = [
                date(year, month, day)
                for month in event.months
                for year in [season - 1 if wraps and month >= 7 else season]
                for day in range(1, calendar.monthrange(year, month)[1] + 1)
            ]
            rng = random.Random(f"{seed}:{event.name}:{season}")
            for start in rng.sample(candidates, min(event.per_season, len(candidates))):
                for offset, strength in enumerate(event.days):
                    d = index.get(start + timedelta(days=offset))
                    if d is None:
                        continue
                    for t, code in enumerate(codes):
                        boosts[d, t] *= 1 + event.boost.get(code, 0.0) * strength
    return boosts


def _rounding_offsets(n_types: int, dates: Sequence[date], seed: int) -> np.ndarray:
    """A fixed random offset in [0, 1) per day and type, for rounding expected counts."""
    return np.array(
        [np.random.default_rng([seed, day.toordinal(), 1]).random(n_types) for day in dates]
    )


def _counts(weights: np.ndarray, offsets: np.ndarray, total: int) -> np.ndarray:
    """Exactly `total` requests shared in proportion to the weights.

    Each day-and-type's expected count is rounded up or down at random (by its fixed offset), so
    a type expected 0.2 times a day still shows up about one day in five; the few rounded the
    wrong way to hit the total exactly are those closest to the line.
    """
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(weights.shape, dtype=int)
    # A day and type with no weight (snow in July) keeps no offset, so it stays at zero.
    raw = weights / weights.sum() * total + np.where(weights > 0, offsets, 0.0)
    counts = np.floor(raw).astype(int)
    above = raw - counts  # how far past the rounding line each cell landed
    excess = int(counts.sum()) - total
    if excess > 0:
        candidates = np.flatnonzero(counts > 0)
        order = candidates[np.argsort(above.flat[candidates], kind="stable")]
        counts.flat[order[:excess]] -= 1
    elif excess < 0:
        candidates = np.flatnonzero(weights > 0)
        order = candidates[np.argsort(-above.flat[candidates], kind="stable")]
        counts.flat[order[:-excess]] += 1
    return counts
