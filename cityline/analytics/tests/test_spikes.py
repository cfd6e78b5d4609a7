"""The spike detector on hand-built counts: a weekday's usual rush is not a spike, a jump is."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cityline.analytics.spikes import (
    HourCount,
    SeriesKey,
    Thresholds,
    baseline_build,
    expected_count,
    series_check,
    tail_probability,
)

ZONE = "America/Chicago"
THRESHOLDS = Thresholds(tail_probability=0.0001, end_probability=0.01, min_count=5)
POTHOLES_1 = SeriesKey("potholes", "1")
FIRST = date(2026, 2, 2)  # a Monday
END = date(2026, 3, 2)  # four weeks later, a Monday


def busy_mondays() -> list[HourCount]:
    """Four weeks of potholes in district 1: six an hour from 9:00 to noon on Mondays, one an
    hour then on the other weekdays."""
    rows = []
    for offset in range((END - FIRST).days):
        day = FIRST + timedelta(days=offset)
        if day.weekday() > 4:
            continue
        for hour in (9, 10, 11):
            rows.append(HourCount("potholes", "1", day, hour, 6 if day.weekday() == 0 else 1))
    return rows


def morning(day: date) -> tuple[datetime, datetime]:
    # 9:00 to noon in Chicago (UTC-6 in winter).
    start = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    return start, start + timedelta(hours=3)


def check(observed: int, day: date, counts: list[HourCount] | None = None):
    baseline = baseline_build(
        counts=counts if counts is not None else busy_mondays(),
        first_day=FIRST,
        end_day=END,
        recent_days=28,
    )
    start, end = morning(day)
    return series_check(
        baseline=baseline,
        key=POTHOLES_1,
        observed=observed,
        start=start,
        end=end,
        zone=ZONE,
        thresholds=THRESHOLDS,
    )


def test_a_busy_monday_morning_is_not_a_spike():
    # given four weeks of busy Monday mornings
    # when a Monday morning is as busy as usual
    result = check(20, date(2026, 3, 2))
    # then it is not a spike
    assert result.expected > 10
    assert not result.is_spike


def test_the_same_count_on_a_wednesday_morning_is_a_spike():
    # given four weeks of quiet Wednesday mornings
    # when a Wednesday morning has a Monday's count
    result = check(20, date(2026, 3, 4))
    # then it is a spike
    assert result.expected < 5
    assert result.is_spike
    assert result.tail_probability < THRESHOLDS.tail_probability


def test_fewer_than_the_minimum_where_none_are_usual_are_not_a_spike():
    # given a district that never has requests on Sunday mornings
    # when four come in
    result = check(4, date(2026, 3, 8))
    # then the count is too small to be a spike, however unlikely
    assert result.tail_probability < THRESHOLDS.tail_probability
    assert not result.is_spike


def test_a_spike_ends_only_once_its_window_is_back_near_usual():
    # given quiet Wednesday mornings
    # when a Wednesday morning has a few more than usual, then the usual count
    raised = check(8, date(2026, 3, 4))
    usual = check(3, date(2026, 3, 4))
    # then the few more are not a new spike but not quiet either; the usual count is quiet
    assert not raised.is_spike and not raised.is_quiet
    assert usual.is_quiet


def test_a_busier_season_raises_the_usual_count():
    # given the same weeks, then the same weeks with the last two twice as busy
    steady = busy_mondays()
    busier = steady + [row for row in steady if row.day >= END - timedelta(days=14)]
    # when the usual count of a Wednesday morning is read from each
    start, end = morning(date(2026, 3, 4))
    usual = [
        expected_count(
            baseline=baseline_build(
                counts=counts, first_day=FIRST, end_day=END, recent_days=14
            ).series[POTHOLES_1],
            start=start,
            end=end,
            zone=ZONE,
        )
        for counts in (steady, busier)
    ]
    # then the busier season expects more than its share of the extra weeks alone
    assert usual[1] > usual[0] * 1.5


def test_a_district_without_history_is_measured_by_its_service_type():
    # given potholes known in district 1 only
    baseline = baseline_build(counts=busy_mondays(), first_day=FIRST, end_day=END, recent_days=28)
    start, end = morning(date(2026, 3, 4))
    # when district 2 gets twelve on a Wednesday morning, and a type never seen does too
    new_area = series_check(
        baseline=baseline,
        key=SeriesKey("potholes", "2"),
        observed=12,
        start=start,
        end=end,
        zone=ZONE,
        thresholds=THRESHOLDS,
    )
    new_type = series_check(
        baseline=baseline,
        key=SeriesKey("graffiti", "1"),
        observed=12,
        start=start,
        end=end,
        zone=ZONE,
        thresholds=THRESHOLDS,
    )
    # then the first is a spike, the second has nothing to be measured against
    assert new_area.is_spike
    assert not new_type.is_spike and new_type.is_quiet


def test_uneven_days_widen_the_tail():
    # given the same mean, counts that are steady and counts that vary a lot day to day
    steady = [HourCount("potholes", "1", FIRST + timedelta(days=d), 10, 4) for d in range(28)]
    uneven = [
        HourCount("potholes", "1", FIRST + timedelta(days=d), 10, 16 if d % 4 == 0 else 0)
        for d in range(28)
    ]
    # when ten in an hour are checked against each
    start = datetime(2026, 3, 4, 16, tzinfo=UTC)
    results = [
        series_check(
            baseline=baseline_build(counts=counts, first_day=FIRST, end_day=END, recent_days=28),
            key=POTHOLES_1,
            observed=12,
            start=start,
            end=start + timedelta(hours=1),
            zone=ZONE,
            thresholds=THRESHOLDS,
        )
        for counts in (steady, uneven)
    ]
    # then they are far less surprising where days vary
    assert results[1].tail_probability > results[0].tail_probability * 100


def test_the_tail_of_nothing_is_certain():
    # given any usual count, when none is observed, then at least none is certain
    assert tail_probability(observed=0, expected=3.0, alpha=0.5) == 1.0


def test_a_baseline_needs_a_week_of_history():
    # given six days of history, when a baseline is built, then it is refused
    with pytest.raises(ValueError):
        baseline_build(counts=[], first_day=FIRST, end_day=FIRST + timedelta(days=6), recent_days=7)
