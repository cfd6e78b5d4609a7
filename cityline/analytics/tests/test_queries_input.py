from datetime import date

import pytest

from cityline.analytics import queries
from cityline.analytics.queries import Dimension, Period, Selection
from cityline.core.errors import InvalidInput


def test_districts_without_a_boundary_layer_are_refused_naming_the_layer():
    # when / then
    with pytest.raises(InvalidInput) as raised:
        queries.volume_over_time(
            dimension=Dimension.DISTRICT,
            period=Period.MONTH,
            start=date(2026, 1, 1),
            end=date(2026, 2, 1),
        )
    assert raised.value.field == "layer"


def test_an_area_without_its_layer_is_refused():
    # when / then
    with pytest.raises(InvalidInput, match="boundary layer"):
        queries.sla_compliance(first_month="2026-01", selection=Selection(area="1"))


@pytest.mark.parametrize("month", ["2026-13", "March", "2026"])
def test_a_month_not_written_yyyy_mm_is_refused_naming_the_month(month):
    # when / then
    with pytest.raises(InvalidInput) as raised:
        queries.sla_compliance(first_month=month)
    assert raised.value.field == "month"


def test_an_empty_store_has_no_figures_and_no_requests_behind_them():
    # when
    volume = queries.volume_over_time(
        dimension=Dimension.CHANNEL, period=Period.DAY, start=date(2026, 1, 1), end=date(2026, 2, 1)
    )
    compliance = queries.sla_compliance(first_month="2026-01", last_month="2026-03")
    numbers = queries.tracking_numbers(start=date(2026, 1, 1), end=date(2026, 2, 1))
    # then
    assert (volume, compliance, numbers) == ([], [], [])


def test_a_selection_narrowed_to_a_volume_rows_key_keeps_the_rest():
    # given
    selection = Selection(agency="STR", layer="council")
    # when
    narrowed = selection.narrowed(Dimension.DISTRICT, "2")
    # then
    assert narrowed == Selection(agency="STR", layer="council", area="2")
