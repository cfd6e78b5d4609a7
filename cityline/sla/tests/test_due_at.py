"""The due-time rules on fixed dates around the 2026 DST changes and holidays in Chicago.

In 2026 the clocks go forward on Sunday 8 March (02:00 CST becomes 03:00 CDT) and back on
Sunday 1 November (02:00 CDT becomes 01:00 CST).
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cityline.sla.models import SlaUnit
from cityline.sla.rules import calendar_rules, due_at

CHICAGO = ZoneInfo("America/Chicago")
NATIONAL = calendar_rules(country="US", subdivision="")
ILLINOIS = calendar_rules(country="US", subdivision="IL")


def elapsed(start: datetime, end: datetime) -> timedelta:
    # Subtracting two datetimes of one zone compares wall clocks; through UTC it is real time.
    return end.astimezone(UTC) - start.astimezone(UTC)


def wall(moment: datetime) -> datetime:
    return moment.astimezone(UTC).astimezone(CHICAGO).replace(tzinfo=None)


def test_hours_count_elapsed_time_across_the_spring_forward_change():
    # given
    start = datetime(2026, 3, 7, 12, 0, tzinfo=CHICAGO)
    # when
    due = due_at(amount=24, unit=SlaUnit.HOURS, start=start, zone=CHICAGO)
    # then
    assert elapsed(start, due) == timedelta(hours=24)
    assert wall(due) == datetime(2026, 3, 8, 13, 0)


def test_hours_count_elapsed_time_across_the_fall_back_change():
    # given
    start = datetime(2026, 10, 31, 12, 0, tzinfo=CHICAGO)
    # when
    due = due_at(amount=24, unit=SlaUnit.HOURS, start=start, zone=CHICAGO)
    # then
    assert elapsed(start, due) == timedelta(hours=24)
    assert wall(due) == datetime(2026, 11, 1, 11, 0)


def test_hours_give_the_same_instant_whatever_zone_the_start_is_given_in():
    # given
    in_chicago = datetime(2026, 3, 7, 12, 0, tzinfo=CHICAGO)
    in_utc = in_chicago.astimezone(UTC)
    # when
    from_chicago = due_at(amount=30, unit=SlaUnit.HOURS, start=in_chicago, zone=CHICAGO)
    from_utc = due_at(amount=30, unit=SlaUnit.HOURS, start=in_utc, zone=CHICAGO)
    # then
    assert from_chicago == from_utc
    assert from_utc.tzinfo == CHICAGO


def test_calendar_days_keep_the_wall_time_across_the_spring_forward_change():
    # given
    start = datetime(2026, 3, 7, 9, 15, tzinfo=CHICAGO)
    # when
    due = due_at(amount=1, unit=SlaUnit.CALENDAR_DAYS, start=start, zone=CHICAGO)
    # then
    assert wall(due) == datetime(2026, 3, 8, 9, 15)
    assert elapsed(start, due) == timedelta(hours=23)


def test_calendar_days_keep_the_wall_time_across_the_fall_back_change():
    # given
    start = datetime(2026, 10, 31, 9, 0, tzinfo=CHICAGO)
    # when
    due = due_at(amount=1, unit=SlaUnit.CALENDAR_DAYS, start=start, zone=CHICAGO)
    # then
    assert wall(due) == datetime(2026, 11, 1, 9, 0)
    assert elapsed(start, due) == timedelta(hours=25)


def test_a_calendar_day_due_time_in_the_spring_forward_gap_moves_past_the_gap():
    # given: 02:30 on 8 March 2026 never happens in Chicago
    start = datetime(2026, 3, 7, 2, 30, tzinfo=CHICAGO)
    # when
    due = due_at(amount=1, unit=SlaUnit.CALENDAR_DAYS, start=start, zone=CHICAGO)
    # then: the clock reads 03:30 CDT, a time that exists, one day of elapsed time later
    assert due.replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)
    assert due.utcoffset() == timedelta(hours=-5)
    assert elapsed(start, due) == timedelta(hours=24)


def test_calendar_days_count_from_the_city_date_not_the_utc_date():
    # given: 20:00 in Chicago is already the next day in UTC
    start = datetime(2026, 4, 1, 20, 0, tzinfo=CHICAGO).astimezone(UTC)
    # when
    due = due_at(amount=2, unit=SlaUnit.CALENDAR_DAYS, start=start, zone=CHICAGO)
    # then
    assert wall(due) == datetime(2026, 4, 3, 20, 0)


def test_one_business_day_from_friday_evening_is_the_end_of_monday():
    # given
    friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=CHICAGO)
    # when
    due = due_at(
        amount=1,
        unit=SlaUnit.BUSINESS_DAYS,
        start=friday_evening,
        zone=CHICAGO,
        calendar=NATIONAL,
    )
    # then: Monday night, after the clocks went forward on Sunday
    assert due == datetime(2026, 3, 9, 23, 59, 59, tzinfo=CHICAGO)
    assert due.utcoffset() == timedelta(hours=-5)


def test_business_days_skip_weekends():
    # given
    thursday = datetime(2026, 4, 2, 10, 0, tzinfo=CHICAGO)
    # when
    due = due_at(
        amount=3, unit=SlaUnit.BUSINESS_DAYS, start=thursday, zone=CHICAGO, calendar=NATIONAL
    )
    # then: Friday, Monday, Tuesday
    assert wall(due) == datetime(2026, 4, 7, 23, 59, 59)


def test_a_request_received_on_a_weekend_counts_from_the_next_business_day():
    # given
    saturday = datetime(2026, 4, 4, 11, 0, tzinfo=CHICAGO)
    # when
    due = due_at(
        amount=1, unit=SlaUnit.BUSINESS_DAYS, start=saturday, zone=CHICAGO, calendar=NATIONAL
    )
    # then
    assert wall(due) == datetime(2026, 4, 6, 23, 59, 59)


def test_business_days_skip_thanksgiving():
    # given: Thanksgiving is Thursday 26 November 2026
    wednesday = datetime(2026, 11, 25, 10, 0, tzinfo=CHICAGO)
    # when
    due = due_at(
        amount=1, unit=SlaUnit.BUSINESS_DAYS, start=wednesday, zone=CHICAGO, calendar=NATIONAL
    )
    # then
    assert wall(due) == datetime(2026, 11, 27, 23, 59, 59)


def test_business_days_skip_the_holidays_of_the_calendars_state():
    # given: Casimir Pulaski Day (Monday 2 March 2026) is a holiday in Illinois only
    friday = datetime(2026, 2, 27, 10, 0, tzinfo=CHICAGO)
    # when
    national = due_at(
        amount=1, unit=SlaUnit.BUSINESS_DAYS, start=friday, zone=CHICAGO, calendar=NATIONAL
    )
    illinois = due_at(
        amount=1, unit=SlaUnit.BUSINESS_DAYS, start=friday, zone=CHICAGO, calendar=ILLINOIS
    )
    # then
    assert wall(national).date() == date(2026, 3, 2)
    assert wall(illinois).date() == date(2026, 3, 3)


def test_business_days_skip_the_calendars_closures():
    # given: the city closes on Monday 6 April 2026
    closed_monday = calendar_rules(country="US", subdivision="", closures=[date(2026, 4, 6)])
    friday = datetime(2026, 4, 3, 10, 0, tzinfo=CHICAGO)
    # when
    due = due_at(
        amount=1, unit=SlaUnit.BUSINESS_DAYS, start=friday, zone=CHICAGO, calendar=closed_monday
    )
    # then
    assert wall(due) == datetime(2026, 4, 7, 23, 59, 59)


def test_a_naive_start_is_refused():
    # given
    naive = datetime(2026, 4, 1, 10, 0)
    # when / then
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(amount=1, unit=SlaUnit.HOURS, start=naive, zone=CHICAGO)


def test_business_days_without_a_calendar_are_refused():
    # given
    start = datetime(2026, 4, 1, 10, 0, tzinfo=CHICAGO)
    # when / then
    with pytest.raises(ValueError, match="calendar"):
        due_at(amount=1, unit=SlaUnit.BUSINESS_DAYS, start=start, zone=CHICAGO)


def test_an_unknown_unit_is_refused():
    # given
    start = datetime(2026, 4, 1, 10, 0, tzinfo=CHICAGO)
    # when / then
    with pytest.raises(ValueError, match="fortnights"):
        due_at(amount=1, unit="fortnights", start=start, zone=CHICAGO)
