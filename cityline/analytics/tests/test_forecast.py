"""The forecast's figures against ones worked out by hand on small histories."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from cityline.analytics import forecast
from cityline.analytics.forecast import (
    HORIZON_DAYS,
    DailyForecast,
    ShortHistory,
    call_history,
    daily_forecast,
    forecasts_due,
    forecasts_prepare,
    half_hour_staffing,
    mape,
    plan_make,
    request_history,
)
from cityline.analytics.services import analytics_refresh
from cityline.analytics.tasks import analytics_refresh_task
from cityline.analytics.tests.conftest import file_at
from cityline.analytics.tests.forecast_data import (
    FIRST_CALL_DAY,
    NOW,
    TODAY,
    ten_calls_a_day_for_five_weeks,
)
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel

WEEK = [10, 20, 30, 40, 50, 5, 5]


def test_the_error_is_the_mean_of_the_days_with_demand():
    # given: |10-12|/10 = 0.2, |20-15|/20 = 0.25, a day without demand left out, 0 on the last
    # when / then
    assert mape([10, 20, 0, 40], [12, 15, 5, 40]) == pytest.approx(0.15)
    assert mape([0, 0], [1, 2]) is None


def test_a_weekly_pattern_is_forecast_as_it_repeats():
    # given: six weeks of the same week
    history = WEEK * 6
    # when
    forecast = daily_forecast(history, first_day=date(2026, 1, 5))
    # then: eight weeks from the day after, the same pattern; the backtest held out two weeks
    assert len(forecast.days) == HORIZON_DAYS
    assert forecast.days[0][0] == date(2026, 2, 16)
    assert [round(value) for _, value in forecast.days[:7]] == WEEK
    assert forecast.backtest_days == 14
    assert forecast.mape == pytest.approx(0, abs=0.01)


def test_days_before_the_first_demand_are_not_history():
    # given: a month of nothing, then three weeks of demand
    history = [0] * 30 + WEEK * 3
    # when / then
    with pytest.raises(ShortHistory) as short:
        daily_forecast(history, first_day=date(2026, 1, 1))
    assert short.value.days == 21


@pytest.mark.django_db
def test_the_call_history_counts_days_half_hours_and_handle_time():
    # given
    ten_calls_a_day_for_five_weeks()
    # when
    history = call_history(first_day=FIRST_CALL_DAY - timedelta(days=1), end_day=TODAY)
    # then: nothing the day before, ten calls a day, all in the 9:00 half hour, 180 s each
    assert history.daily == [0] + [10] * 35
    assert all(profile[18] == 1 and sum(profile) == 1 for profile in history.profile.values())
    assert history.average_handle_seconds == 180


def test_the_half_hours_get_the_agents_erlang_c_asks():
    # given: ten calls in the 9:00 half hour of 180 s (one erlang); with two agents
    # 1 - 1/3·e^(-30/180) = 0.718 is short of 80 %, three reach 1 - 0.0909·e^(-60/180) = 0.935
    forecast = DailyForecast(
        days=[(date(2026, 3, 2), 10.0)], mape=None, backtest_days=0, history_days=28
    )
    profile = {weekday: [0.0] * 48 for weekday in range(7)}
    profile[0][18] = 1.0
    # when
    plan = half_hour_staffing(
        forecast=forecast, profile=profile, handle_seconds=180, target_seconds=30, level=0.8
    )
    # then
    assert [(half.start, half.staffing.agents) for half in plan] == [(time(9, 0), 3)]
    assert plan[0].staffing.service_level == pytest.approx(0.935, abs=0.001)


@pytest.mark.django_db
def test_requests_are_counted_per_day_of_a_channel_from_the_store():
    # given: two phone requests on one day, a web one on the next
    potholes = ServiceTypeFactory()
    first = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    file_at(first, potholes, channel=Channel.PHONE)
    file_at(first + timedelta(hours=2), potholes, channel=Channel.PHONE)
    file_at(first + timedelta(days=1), potholes, channel=Channel.WEB)
    analytics_refresh()
    # when
    phone = request_history(
        first_day=date(2026, 3, 1), end_day=date(2026, 3, 4), channel="phone", service_group=None
    )
    every = request_history(
        first_day=date(2026, 3, 1), end_day=date(2026, 3, 4), channel=None, service_group=None
    )
    # then
    assert phone == [0, 2, 0]
    assert every == [0, 2, 1]


@pytest.mark.django_db
def test_a_flat_history_plans_ten_calls_and_three_agents_every_morning():
    # given
    ten_calls_a_day_for_five_weeks()
    # when
    with time_machine.travel(NOW, tick=False):
        plan = plan_make(requests=False)
    # then
    assert plan.demand is not None and plan.demand == plan.calls
    assert plan.demand.days[0] == (TODAY, 10.0)
    assert plan.demand.mape == 0
    assert plan.demand.backtest_days == 7
    assert plan.handle_seconds == 180
    assert len(plan.half_hours) == HORIZON_DAYS
    assert {(half.start, half.staffing.agents) for half in plan.half_hours} == {(time(9, 0), 3)}


@pytest.mark.django_db
def test_the_days_stored_forecast_is_read_without_fitting_again(monkeypatch):
    # given: the worker fitted the day's forecasts in the morning
    ten_calls_a_day_for_five_weeks()
    morning = NOW - timedelta(hours=5)
    with time_machine.travel(morning, tick=False):
        forecasts_prepare()
    monkeypatch.setattr(forecast, "holt_winters", _never_fitted)
    monkeypatch.setattr(forecast, "call_history", _never_fitted)
    # when
    with time_machine.travel(NOW, tick=False):
        calls = plan_make(requests=False)
        every_request = plan_make(requests=True)
    # then: the stored fits, and when they were made
    assert calls.calls is not None and calls.calls.days[0] == (TODAY, 10.0)
    assert calls.calls.mape == 0 and calls.handle_seconds == 180
    assert {(half.start, half.staffing.agents) for half in calls.half_hours} == {(time(9, 0), 3)}
    assert (every_request.demand, every_request.demand_short) == (None, 0)
    assert calls.computed_at == every_request.computed_at == morning


def _never_fitted(*args, **kwargs):
    raise AssertionError("fitted again although a fit was stored")


@pytest.mark.django_db
def test_without_a_stored_forecast_the_page_fits_one_and_stores_it():
    # given
    ten_calls_a_day_for_five_weeks()
    with time_machine.travel(NOW, tick=False):
        due_before = forecasts_due()
        # when
        plan = plan_make(requests=True, channel="phone")
        # then: the calls' fit is stored, every request's still due
        due_after = forecasts_due()
        again = plan_make(requests=False)
    assert (due_before, due_after) == (True, True)
    assert plan.computed_at == again.computed_at == NOW
    assert again.calls == plan.calls and again.half_hours == plan.half_hours


@pytest.mark.django_db
def test_a_new_day_is_due_again_and_its_preparation_forgets_the_day_before(store_dir):
    # given
    ten_calls_a_day_for_five_weeks()
    with time_machine.travel(NOW, tick=False):
        forecasts_prepare()
        prepared = forecasts_due()
    # when
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        due = forecasts_due()
        forecasts_prepare()
        plan = plan_make(requests=False)
    # then
    assert (prepared, due) == (False, True)
    assert [folder.name for folder in (store_dir / "forecasts").iterdir()] == [
        (TODAY + timedelta(days=1)).isoformat()
    ]
    assert plan.calls is not None and plan.calls.days[0][0] == TODAY + timedelta(days=1)


@pytest.mark.django_db
def test_the_refresh_task_has_the_days_forecasts_fitted(django_capture_on_commit_callbacks):
    # given
    ten_calls_a_day_for_five_weeks()
    with time_machine.travel(NOW, tick=False):
        # when
        with django_capture_on_commit_callbacks(execute=True):
            analytics_refresh_task.call()
        # then
        assert not forecasts_due()
