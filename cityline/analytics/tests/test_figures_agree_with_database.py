"""Every figure the store gives equals the same figure computed from the database."""

from dataclasses import replace
from datetime import date

import pytest
import time_machine

from cityline.analytics import queries
from cityline.analytics.queries import Dimension, Period, Place, Selection, Subset
from cityline.analytics.services import analytics_refresh
from cityline.analytics.tests import figures_from_database as database
from cityline.analytics.tests.conftest import AS_OF, LAYER

pytestmark = pytest.mark.django_db

SELECTIONS = [
    Selection(layer=LAYER),
    Selection(),
    Selection(agency="STR", layer=LAYER),
    Selection(agency="STR", service_type="pothole", layer=LAYER, area="1"),
    Selection(service_group="Streets", channel="phone"),
    Selection(proactive=True, layer=LAYER),
    Selection(layer=LAYER, excluded_service_types=frozenset({"tree"})),
]


def rounded(rows):
    """Rows with their floats to a millionth: DuckDB and Python add seconds in other orders."""
    return [type(row)(*(round(v, 6) if isinstance(v, float) else v for v in row)) for row in rows]


@pytest.fixture
def stored_city(city):
    with time_machine.travel(AS_OF, tick=False):
        analytics_refresh(full=True)
    return city


@pytest.mark.parametrize("dimension", list(Dimension))
@pytest.mark.parametrize("period", list(Period))
def test_volume_by_each_dimension_and_period_with_the_year_before_is_the_databases(
    stored_city, dimension, period
):
    # given
    selection = Selection(layer=LAYER)
    window = {"start": date(2026, 2, 1), "end": date(2026, 4, 1)}
    # when
    stored = queries.volume_over_time(
        dimension=dimension, period=period, selection=selection, **window
    )
    # then
    expected = database.volume(dimension=dimension, period=period, selection=selection, **window)
    assert stored == expected


def test_volume_sets_each_week_beside_the_week_holding_the_same_day_a_year_before(stored_city):
    # when
    weeks = queries.volume_over_time(
        dimension=Dimension.AGENCY,
        period=Period.WEEK,
        start=date(2026, 3, 2),
        end=date(2026, 3, 9),
        selection=Selection(agency="STR"),
    )
    # then: five requests, one proactive; the year before, the one of the week of Monday 24
    # February 2025, which holds Sunday 2 March 2025 (the one of 3 March counts for the next week)
    assert weeks == [queries.VolumePoint(date(2026, 3, 2), "STR", 5, 1, 1, 0)]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_volume_of_a_selection_is_the_databases(stored_city, selection):
    # when
    stored = queries.volume_over_time(
        dimension=Dimension.AGENCY,
        period=Period.WEEK,
        start=date(2026, 2, 23),
        end=date(2026, 3, 16),
        selection=selection,
    )
    # then
    assert stored == database.volume(
        dimension=Dimension.AGENCY,
        period=Period.WEEK,
        start=date(2026, 2, 23),
        end=date(2026, 3, 16),
        selection=selection,
    )


@pytest.mark.parametrize("selection", SELECTIONS)
def test_sla_compliance_by_agency_service_and_district_is_the_databases(stored_city, selection):
    # when
    stored = queries.sla_compliance(
        first_month="2026-02", last_month="2026-03", selection=selection, as_of=AS_OF
    )
    # then
    expected = database.compliance(
        first_month="2026-02", last_month="2026-03", selection=selection, as_of=AS_OF
    )
    assert rounded(stored) == rounded(expected)


def test_sla_compliance_counts_late_closes_by_reason_and_labels_proactive_requests(stored_city):
    # when
    rows = queries.sla_compliance(
        first_month="2026-03",
        selection=Selection(agency="STR", service_type="pothole", layer=LAYER),
        as_of=AS_OF,
    )
    # then
    by_area = {row.area: row for row in rows}
    assert by_area["1"].late_by_reason == {"": 1, "Waiting for parts": 1}
    assert by_area["1"].proactive == 1
    assert (by_area["1"].on_time, by_area["1"].closed_with_due) == (1, 3)
    assert by_area["2"].late_by_reason == {"Weather": 1}


@pytest.mark.parametrize("subset", list(Subset))
@pytest.mark.parametrize("selection", SELECTIONS)
def test_the_tracking_numbers_behind_a_figure_are_the_databases(stored_city, subset, selection):
    # given
    start, end = queries.month_bounds("2026-03")
    # when
    stored = queries.tracking_numbers(start=start, end=end, selection=selection, subset=subset)
    # then
    assert stored == database.tracking_numbers(
        start=start, end=end, selection=selection, subset=subset
    )


MARCH = {"start": date(2026, 3, 1), "end": date(2026, 4, 1)}


@pytest.mark.parametrize("place", list(Place))
@pytest.mark.parametrize("selection", SELECTIONS)
def test_hot_spots_per_cell_and_district_are_the_databases(stored_city, place, selection):
    # given
    selection = replace(selection, layer=LAYER)
    # when
    stored = queries.hot_spots(place=place, selection=selection, **MARCH)
    # then
    assert rounded(stored) == rounded(database.hot_spots(place=place, selection=selection, **MARCH))


def test_hot_spots_put_the_busiest_district_first_with_its_rate_and_share(stored_city):
    # when
    spots = queries.hot_spots(place=Place.DISTRICT, selection=Selection(layer=LAYER), **MARCH)
    # then: four March requests in district 1 (on time, open light, inspector, reopened; the
    # next week's tree among them makes five), two in district 2 (late for weather, waiting)
    assert [(s.key, s.requests, s.proactive) for s in spots] == [("1", 5, 2), ("2", 2, 0)]
    assert round(spots[0].per_day, 4) == round(5 / 31, 4)
    assert round(spots[0].share, 4) == round(5 / 7, 4)


def test_hot_spots_keep_the_top_places_only_when_asked(stored_city):
    # when
    spots = queries.hot_spots(
        place=Place.DISTRICT, selection=Selection(layer=LAYER), limit=1, **MARCH
    )
    # then
    assert [s.key for s in spots] == ["1"]


@pytest.mark.parametrize("dimension", list(Dimension))
@pytest.mark.parametrize("selection", SELECTIONS)
def test_the_summary_by_each_dimension_is_the_databases(stored_city, dimension, selection):
    # given
    selection = replace(selection, layer=LAYER)
    # when
    stored = queries.summary(dimension=dimension, selection=selection, **MARCH)
    # then
    assert rounded(stored) == rounded(
        database.summary(dimension=dimension, selection=selection, **MARCH)
    )


@pytest.mark.parametrize("selection", SELECTIONS)
def test_the_monthly_report_rows_are_the_databases(stored_city, selection):
    # given
    window = {"start": date(2026, 2, 1), "end": date(2026, 4, 1)}
    # when
    stored = queries.resolution_report(selection=selection, **window)
    # then
    assert rounded(stored) == rounded(database.resolution_report(selection=selection, **window))


def test_the_monthly_report_counts_resolutions_and_open_requests(stored_city):
    # when
    rows = queries.resolution_report(selection=Selection(service_type="pothole"), **MARCH)
    # then: on time, late for weather and reopened-then-closed completed, the inspector's a
    # duplicate; none open
    (row,) = rows
    assert (row.received, row.open, row.closed) == (4, 0, 4)
    assert row.resolutions == {"completed": 3, "duplicate": 1}
    assert row.agency == "STR" and row.service_group == "Streets"
