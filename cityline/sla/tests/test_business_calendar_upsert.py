from datetime import date

import pytest

from cityline.sla.models import BusinessCalendar
from cityline.sla.services import ClosureSpec, SlaDefinitionError, business_calendar_upsert

pytestmark = pytest.mark.django_db


def test_closures_given_replace_the_calendars_closures():
    # given
    business_calendar_upsert(
        name="City",
        holiday_subdivision="NY",
        closures=[
            ClosureSpec(date(2025, 9, 22), "Founders' Day"),
            ClosureSpec(date(2025, 12, 26), "Snow day"),
        ],
    )
    # when
    calendar = business_calendar_upsert(
        name="City",
        holiday_subdivision="NY",
        closures=[ClosureSpec(date(2025, 9, 22), "Founders' Day (offices closed)")],
    )
    # then
    assert BusinessCalendar.objects.count() == 1
    assert list(calendar.closures.values_list("date", "name")) == [
        (date(2025, 9, 22), "Founders' Day (offices closed)")
    ]


def test_closures_left_out_are_kept():
    # given
    business_calendar_upsert(name="City", closures=[ClosureSpec(date(2025, 9, 22), "Founders")])
    # when
    calendar = business_calendar_upsert(name="City", holiday_subdivision="IL")
    # then
    assert calendar.holiday_subdivision == "IL"
    assert calendar.closures.count() == 1


@pytest.mark.parametrize(
    ("country", "subdivision", "field"),
    [("US", "XX", "holiday_subdivision"), ("ZZ", "", "holiday_country")],
)
def test_a_calendar_whose_holidays_are_unknown_is_refused(country, subdivision, field):
    # when
    with pytest.raises(SlaDefinitionError) as error:
        business_calendar_upsert(
            name="City", holiday_country=country, holiday_subdivision=subdivision
        )
    # then
    assert error.value.field == field
    assert not BusinessCalendar.objects.exists()
