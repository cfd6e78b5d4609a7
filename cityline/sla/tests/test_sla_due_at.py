from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cityline.sla.models import CalendarClosure, SlaUnit
from cityline.sla.selectors import business_calendar_rules, sla_due_at
from cityline.sla.tests.factories import BusinessCalendarFactory, SlaPolicyFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")


def test_a_business_day_policy_skips_the_closures_of_its_calendar():
    # given: the city closes on Monday 6 April 2026
    calendar = BusinessCalendarFactory(name="Chicago", holiday_subdivision="IL")
    CalendarClosure.objects.create(calendar=calendar, date=date(2026, 4, 6), name="Snow day")
    policy = SlaPolicyFactory(amount=1, unit=SlaUnit.BUSINESS_DAYS, calendar=calendar)
    friday_evening = datetime(2026, 4, 3, 18, 0, tzinfo=CHICAGO).astimezone(UTC)
    # when
    due = sla_due_at(policy=policy, start=friday_evening)
    # then
    assert due == datetime(2026, 4, 7, 23, 59, 59, tzinfo=CHICAGO)


def test_a_business_day_policy_skips_the_holidays_of_its_calendars_state():
    # given: Casimir Pulaski Day, Monday 2 March 2026, is an Illinois holiday
    illinois = BusinessCalendarFactory(name="Illinois", holiday_subdivision="IL")
    national = BusinessCalendarFactory(name="Federal", holiday_subdivision="")
    friday = datetime(2026, 2, 27, 9, 0, tzinfo=CHICAGO)
    # when
    in_illinois = sla_due_at(
        policy=SlaPolicyFactory(amount=1, unit=SlaUnit.BUSINESS_DAYS, calendar=illinois),
        start=friday,
    )
    federal = sla_due_at(
        policy=SlaPolicyFactory(amount=1, unit=SlaUnit.BUSINESS_DAYS, calendar=national),
        start=friday,
    )
    # then
    assert in_illinois == datetime(2026, 3, 3, 23, 59, 59, tzinfo=CHICAGO)
    assert federal == datetime(2026, 3, 2, 23, 59, 59, tzinfo=CHICAGO)


def test_an_hours_policy_counts_elapsed_time():
    # given
    policy = SlaPolicyFactory(amount=48, unit=SlaUnit.HOURS)
    start = datetime(2026, 3, 7, 8, 0, tzinfo=CHICAGO)
    # when
    due = sla_due_at(policy=policy, start=start)
    # then: Monday 08:00 CST is Monday 09:00 CDT
    assert due == datetime(2026, 3, 9, 9, 0, tzinfo=CHICAGO)


def test_days_are_counted_in_the_citys_time_zone(settings):
    # given: 23:30 on 1 April in New York is already 2 April in UTC
    settings.TIME_ZONE = "America/New_York"
    policy = SlaPolicyFactory(amount=1, unit=SlaUnit.CALENDAR_DAYS)
    start = datetime(2026, 4, 1, 23, 30, tzinfo=NEW_YORK).astimezone(UTC)
    # when
    due = sla_due_at(policy=policy, start=start)
    # then
    assert due == datetime(2026, 4, 2, 23, 30, tzinfo=NEW_YORK)
    assert due.tzinfo == NEW_YORK


def test_the_calendar_rules_carry_the_calendars_closures():
    # given
    calendar = BusinessCalendarFactory(name="With closures")
    CalendarClosure.objects.create(calendar=calendar, date=date(2026, 12, 24), name="Eve")
    # when
    rules = business_calendar_rules(calendar=calendar)
    # then
    assert not rules.is_business_day(date(2026, 12, 24))
    assert not rules.is_business_day(date(2026, 12, 25))
    assert rules.is_business_day(date(2026, 12, 23))
