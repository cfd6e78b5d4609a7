"""The demo city's volume: seasons, weekly rhythm and weather, without a database."""

from collections import defaultdict
from datetime import date, timedelta

import holidays
import numpy as np
import pytest

from cityline.demo import content
from cityline.demo.volume import daily_counts

TODAY = date(2026, 3, 2)
DATES = [TODAY - timedelta(days=i) for i in range(729, -1, -1)]
PROFILES = list(content.history().types.items())
CODES = [code for code, _ in PROFILES]


@pytest.fixture(scope="module")
def counts() -> np.ndarray:
    return daily_counts(
        profiles=PROFILES,
        dates=DATES,
        days_off=holidays.country_holidays("US", subdiv="NY", years=[2024, 2025, 2026]),
        content=content.history(),
        seed=311,
        today_share=[0.5] * len(PROFILES),
        total=50_000,
    )


def _by_month(counts: np.ndarray, code: str) -> dict[int, int]:
    months: dict[int, int] = defaultdict(int)
    for day, n in zip(DATES, counts[:, CODES.index(code)], strict=True):
        months[day.month] += int(n)
    return months


def test_the_total_is_exactly_what_was_asked(counts):
    assert counts.sum() == 50_000
    assert (counts >= 0).all()


@pytest.mark.parametrize(
    ("code", "peak", "trough"),
    [
        ("pothole", 3, 8),  # late winter thaw
        ("heat-hot-water", 1, 7),
        ("hydrant", 7, 1),
        ("leaf-collection", 11, 5),
        ("noise-residential", 7, 2),
    ],
)
def test_each_type_has_its_season(counts, code, peak, trough):
    # when
    months = _by_month(counts, code)
    # then
    assert months[peak] > 2 * months[trough]


def test_snow_complaints_come_only_in_winter(counts):
    # when
    months = _by_month(counts, "snow-ice")
    # then
    assert sum(months[m] for m in (5, 6, 7, 8, 9)) == 0
    assert months[1] + months[2] > 0


def test_parties_are_a_weekend_complaint_and_permits_a_weekday_one(counts):
    # given
    weekend = [day.weekday() >= 5 for day in DATES]

    # when
    def weekend_share(code: str) -> float:
        column = counts[:, CODES.index(code)]
        return column[weekend].sum() / column.sum()

    # then
    assert weekend_share("noise-residential") > 2 / 7 > weekend_share("work-without-permit")


def test_every_type_appears_even_the_rare_ones(counts):
    assert (counts.sum(axis=0) > 0).all()


def test_the_same_seed_gives_the_same_volume_and_another_seed_another(counts):
    # when
    def again(seed: int) -> np.ndarray:
        return daily_counts(
            profiles=PROFILES,
            dates=DATES,
            days_off=set(),
            content=content.history(),
            seed=seed,
            today_share=[0.5] * len(PROFILES),
            total=50_000,
        )

    # then
    assert (again(311) == again(311)).all()
    assert not (again(311) == again(312)).all()
