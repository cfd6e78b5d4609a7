"""The time to close, backlog-by-age and oldest-open figures equal the same figures computed from
the database."""

import itertools
from datetime import date, timedelta

import pytest
import time_machine

from cityline.analytics import backlog_queries
from cityline.analytics.backlog_queries import AGE_LIMITS, BacklogBucket, CloseTimes, OpenRequest
from cityline.analytics.queries import Selection
from cityline.analytics.services import analytics_refresh
from cityline.analytics.tests import figures_from_database as database
from cityline.analytics.tests.conftest import AS_OF, LAYER
from cityline.analytics.tests.test_figures_agree_with_database import SELECTIONS
from cityline.servicerequests.models import Status

pytestmark = pytest.mark.django_db

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 4, 1)}


@pytest.fixture
def stored_city(city):
    with time_machine.travel(AS_OF, tick=False):
        analytics_refresh(full=True)
    return city


def _open(end: date, selection: Selection) -> list[database.Row]:
    return [
        row
        for row in database.rows()
        if database._selected(row, selection)
        and row.requested_on < end
        and row.status != Status.CLOSED
    ]


def _age(row: database.Row) -> float:
    return (AS_OF - row.requested_at).total_seconds() / 86400


@pytest.mark.parametrize("selection", SELECTIONS)
def test_close_times_of_a_selection_are_the_databases(stored_city, selection):
    # given
    days = [
        (row.closed_at - row.requested_at).total_seconds() / 86400
        for row in database.rows()
        if database._selected(row, selection)
        and MARCH["start"] <= row.requested_on < MARCH["end"]
        and row.closed_at is not None
    ]
    # when
    stored = backlog_queries.close_times(selection=selection, **MARCH)
    # then
    assert stored.closed == len(days)
    assert stored.median_days == pytest.approx(database.quantile(days, 0.5))
    assert stored.p90_days == pytest.approx(database.quantile(days, 0.9))


def test_close_times_of_the_streets_agency_in_march_by_hand(stored_city):
    # when
    stored = backlog_queries.close_times(selection=Selection(agency="STR"), **MARCH)
    # then: closed after 1 day (on time), 3 days less an hour (weather), 5 days less 3 hours
    # (the duplicate) and 5 days (reopened, closed again)
    assert stored == pytest.approx(
        CloseTimes(4, (71 / 24 + 117 / 24) / 2, 117 / 24 + (5 - 117 / 24) * 0.7)
    )


@pytest.mark.parametrize("selection", SELECTIONS)
def test_backlog_by_age_is_the_databases(stored_city, selection):
    # given
    ages = [_age(row) for row in _open(MARCH["end"], selection)]
    bounds = [0, *AGE_LIMITS, None]
    expected = [
        BacklogBucket(
            low, high, sum(1 for age in ages if low <= age and (high is None or age < high))
        )
        for low, high in itertools.pairwise(bounds)
    ]
    # when
    stored = backlog_queries.backlog_ages(end=MARCH["end"], as_of=AS_OF, selection=selection)
    # then
    assert stored == expected


def test_backlog_counts_the_open_requests_by_their_age_at_the_moment_asked(stored_city):
    # when: asked on 11 April
    later = AS_OF + timedelta(days=22)
    stored = backlog_queries.backlog_ages(
        end=MARCH["end"], as_of=later, selection=Selection(layer=LAYER)
    )
    # then: the light and the waiting tree of 2 March are 40 days old, the tree of 10 March 32,
    # the tree of a year before over 90
    assert [bucket.requests for bucket in stored] == [0, 0, 3, 1]


def test_backlog_before_the_stores_first_month_is_empty(stored_city):
    # when
    stored = backlog_queries.backlog_ages(end=date(2020, 1, 1), as_of=AS_OF)
    # then
    assert [bucket.requests for bucket in stored] == [0, 0, 0, 0]
    assert backlog_queries.oldest_open(end=date(2020, 1, 1), as_of=AS_OF) == []


@pytest.mark.parametrize("selection", SELECTIONS)
def test_oldest_open_requests_are_the_databases(stored_city, selection):
    # given
    expected = [
        (row.tracking_number, row.service_type, row.areas.get(selection.layer or ""), _age(row))
        for row in _open(MARCH["end"], selection)
    ][:2]
    # when
    stored = backlog_queries.oldest_open(
        end=MARCH["end"], as_of=AS_OF, selection=selection, limit=2
    )
    # then
    assert [(r.tracking_number, r.service_type, r.area, r.age_days) for r in stored] == [
        (number, code, area if selection.layer else None, pytest.approx(age))
        for number, code, area, age in expected
    ]


def test_oldest_open_request_of_the_transport_agency_is_the_light(stored_city):
    # when
    stored = backlog_queries.oldest_open(
        end=MARCH["end"], as_of=AS_OF, selection=Selection(agency="DOT", layer=LAYER)
    )
    # then
    light = stored_city.requests["open_light"]
    assert stored == [
        OpenRequest(
            light.tracking_number,
            "light",
            light.service_type.name,
            "1",
            light.requested_at,
            pytest.approx(18 - 2 / 24),
        )
    ]
