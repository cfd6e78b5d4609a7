"""The forecast and staffing page and its CSV: figures worked out by hand on a flat history,
who may read them, and bad input."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.forecast import forecasts_prepare
from cityline.analytics.tests.forecast_data import NOW, ten_calls_a_day_for_five_weeks
from cityline.catalog.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.CITYLINE_ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def supervisor(client):
    user = user_with_role(Role.SUPERVISOR_311, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_supervisor_reads_the_calls_forecast_its_error_and_the_agents(client, supervisor):
    # given: ten calls of 180 s every morning at 9:00 for five weeks
    ten_calls_a_day_for_five_weeks()
    # when
    response = client.get("/console/forecast/")
    # then: ten calls a day, a perfect backtest, three call-takers from 9:00 (one erlang)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Backtest error (MAPE): 0.0 %" in page
    assert "over the last 7 days" in page
    table = response.context["half_hours"]
    assert [(half.start.strftime("%H:%M"), half.staffing.agents) for half in table] == [
        ("09:00", 3)
    ]
    assert response.context["days"][0][1:] == (10.0, 10.0, 3, 1.5)


def test_the_page_reads_the_stored_forecast_and_says_when_it_was_fitted(client, supervisor):
    # given: the worker fitted the day's forecasts at 6:00 in Chicago
    ten_calls_a_day_for_five_weeks()
    with time_machine.travel(datetime(2026, 2, 20, 12, 0, tzinfo=UTC), tick=False):
        forecasts_prepare()
    # when
    response = client.get("/console/forecast/")
    # then
    assert response.status_code == 200
    assert "Forecast fitted Feb. 20, 2026, 6 a.m., from the history up to yesterday." in (
        response.content.decode()
    )
    assert response.context["days"][0][1:] == (10.0, 10.0, 3, 1.5)


def test_the_parameters_change_the_plan(client, supervisor):
    # given
    ten_calls_a_day_for_five_weeks()
    # when: 360 s a call (two erlangs), 90 % within 20 s
    response = client.get(
        "/console/forecast/", {"handle_seconds": "360", "level": "90", "target_seconds": "20"}
    )
    # then: four agents reach 1 - C(4, 2)·e^(-2·20/360) = 1 - 0.1739·0.8948 = 0.844 < 0.9,
    # five reach 1 - 0.0597·e^(-3·20/360) = 0.949
    assert response.status_code == 200
    assert [half.staffing.agents for half in response.context["half_hours"]] == [5]


def test_a_requests_forecast_without_history_says_so(client, supervisor):
    # given: calls, but no request in the store
    ten_calls_a_day_for_five_weeks()
    # when
    response = client.get("/console/forecast/", {"series": "requests", "channel": "phone"})
    # then: no forecast of requests; the staffing still comes from the calls
    assert response.status_code == 200
    assert "Not enough history to forecast: 0 days" in response.content.decode()
    assert [half.staffing.agents for half in response.context["half_hours"]] == [3]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": "150"}, "level"),
        ({"target_seconds": "-5"}, "target_seconds"),
        ({"handle_seconds": "long"}, "handle_seconds"),
        ({"series": "tweets"}, "series"),
        ({"day": "2027-01-01"}, "day"),
        ({"day": "tomorrow"}, "day"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, supervisor, query, field):
    # given
    ten_calls_a_day_for_five_weeks()
    # when
    response = client.get("/console/forecast/", query)
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_the_csv_has_every_half_hour_and_is_audited(client, supervisor):
    # given
    ten_calls_a_day_for_five_weeks()
    # when
    response = client.get("/console/forecast/staffing.csv", {"target_seconds": "20"})
    # then: 56 days of one half hour each, ten calls and three agents: C(3, 1) = 1/11,
    # 1 - e^(-2·20/180)/11 = 0.9272, wait (1/11)·180/2 = 8.2 s, occupancy 1/3
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["date", "half_hour_start", "calls", "agents"]
    assert len(rows) == 1 + 56
    assert rows[1] == ["2026-02-20", "09:00", "10.00", "3", "0.9272", "8.2", "0.3333"]
    assert AuditEntry.objects.filter(action="analytics.staffing_downloaded").count() == 1


def test_bad_csv_input_is_a_400_naming_the_field(client, supervisor):
    # when
    response = client.get("/console/forecast/staffing.csv", {"handle_seconds": "0"})
    # then
    assert response.status_code == 400
    assert response.content.decode().startswith("handle_seconds:")


@pytest.mark.parametrize(
    "role", [Role.CALL_TAKER, Role.AGENCY_SUPERVISOR, Role.AGENCY_WORKER, Role.KNOWLEDGE_EDITOR]
)
def test_others_than_the_city_wide_roles_are_refused(client, role):
    # given
    agency = None if role == Role.CALL_TAKER else AgencyFactory()
    client.force_login(user_with_role(role, agency=agency, is_staff=True))
    # when / then
    assert client.get("/console/forecast/").status_code == 403
    assert client.get("/console/forecast/staffing.csv").status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    # when
    response = client.get("/console/forecast/")
    # then
    assert response.status_code == 302
    assert "/console/login/" in response["Location"]
