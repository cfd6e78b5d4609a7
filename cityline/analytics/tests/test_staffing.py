"""Erlang C against values worked out by hand and the industry's textbook example."""

import math

import pytest

from cityline.analytics.staffing import erlang_c, service_level, staffing_for


def test_the_probability_of_waiting_is_the_one_worked_out_by_hand():
    # given: one erlang on two agents: (A²/2! · 2/(2-1)) / (1 + A + A²/2! · 2) = 1 / 3
    # and two erlangs on three agents: (8/6 · 3) / (1 + 2 + 2 + 4) = 4 / 9
    # when / then
    assert erlang_c(agents=2, traffic=1.0) == pytest.approx(1 / 3)
    assert erlang_c(agents=3, traffic=2.0) == pytest.approx(4 / 9)


def test_agents_who_cannot_keep_up_make_every_call_wait():
    # given / when / then
    assert erlang_c(agents=10, traffic=10.0) == 1.0
    assert service_level(agents=9, traffic=10.0, handle_seconds=180, target_seconds=20) == 0.0


def test_the_textbook_half_hour_needs_fourteen_agents():
    # given: 100 calls in half an hour of 180 s each (10 erlangs), 80 % to be answered in 20 s:
    # with 13 agents C = 0.2853 and 1 - 0.2853·e^(-3·20/180) = 0.7956 falls short;
    # with 14, C = 0.1741 and 1 - 0.1741·e^(-4·20/180) = 0.8884
    # when
    plan = staffing_for(calls=100, handle_seconds=180, target_seconds=20, level=0.8)
    # then
    assert erlang_c(agents=13, traffic=10.0) == pytest.approx(0.2853, abs=1e-4)
    assert erlang_c(agents=14, traffic=10.0) == pytest.approx(0.1741, abs=1e-4)
    assert plan.agents == 14
    assert plan.traffic == pytest.approx(10.0)
    assert plan.service_level == pytest.approx(1 - 0.17405 * math.exp(-80 / 180), abs=1e-4)
    assert plan.average_speed_of_answer == pytest.approx(0.17405 * 180 / 4, abs=0.01)
    assert plan.occupancy == pytest.approx(10 / 14)


def test_a_half_hour_without_calls_needs_nobody():
    # given / when
    plan = staffing_for(calls=0, handle_seconds=300)
    # then
    assert plan.agents == 0
    assert plan.service_level == 1.0


def test_a_big_center_is_staffed_without_overflow():
    # given: 5,000 calls in half an hour of 300 s each (833 erlangs), where A^N / N! overflows
    # when
    plan = staffing_for(calls=5000, handle_seconds=300, target_seconds=30, level=0.8)
    # then: a few agents above the traffic reach the level, one fewer does not
    assert 834 <= plan.agents <= 860
    fewer = service_level(
        agents=plan.agents - 1, traffic=plan.traffic, handle_seconds=300, target_seconds=30
    )
    assert plan.service_level >= 0.8 > fewer
