"""Properties of the due-time rules over many start times, targets and calendars."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cityline.sla.models import SlaUnit
from cityline.sla.rules import END_OF_DAY, CalendarRules, calendar_rules, due_at

CHICAGO = ZoneInfo("America/Chicago")
# No example database on disk, and no per-example deadline: these are not timing tests.
properties = settings(database=None, deadline=None, max_examples=150)

starts = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.sampled_from([CHICAGO, UTC]),
    allow_imaginary=False,
)


@st.composite
def calendars(draw: st.DrawFn, near: date) -> CalendarRules:
    """A US calendar, national or of a state, with a few closures in the weeks after `near`."""
    offsets = draw(st.sets(st.integers(min_value=0, max_value=90), max_size=8))
    return calendar_rules(
        country="US",
        subdivision=draw(st.sampled_from(["", "IL", "NY"])),
        closures=[near + timedelta(days=offset) for offset in offsets],
    )


def city_wall(moment: datetime) -> datetime:
    # Through UTC, since astimezone() to a datetime's own zone would return it unchanged.
    return moment.astimezone(UTC).astimezone(CHICAGO).replace(tzinfo=None)


def exists_in_chicago(wall: datetime) -> bool:
    return city_wall(wall.replace(tzinfo=CHICAGO)) == wall


@properties
@given(start=starts, amount=st.integers(min_value=1, max_value=2000))
@example(start=datetime(2026, 3, 7, 12, 0, tzinfo=CHICAGO), amount=24)
# The repeated hour of a fall-back night: 1:00 CDT plus one hour is 1:00 CST (fold=1).
@example(start=datetime(2020, 11, 1, 1, 0, tzinfo=CHICAGO), amount=1)
def test_hours_are_exactly_that_much_elapsed_time(start, amount):
    # when
    due = due_at(amount=amount, unit=SlaUnit.HOURS, start=start, zone=CHICAGO)
    # then
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=amount)
    # In UTC: between two times of one zone, Python compares wall clocks and ignores fold.
    assert due.astimezone(UTC) > start.astimezone(UTC)


@properties
@given(start=starts, amount=st.integers(min_value=1, max_value=400))
@example(start=datetime(2026, 3, 7, 2, 30, tzinfo=CHICAGO), amount=1)
@example(start=datetime(2026, 2, 8, 2, 0, tzinfo=CHICAGO), amount=28)
def test_calendar_days_keep_the_wall_time_except_in_a_gap(start, amount):
    # given
    local = city_wall(start)
    wanted = datetime.combine(local.date() + timedelta(days=amount), local.time())
    # when
    due = due_at(amount=amount, unit=SlaUnit.CALENDAR_DAYS, start=start, zone=CHICAGO)
    # then
    assert due > start
    assert exists_in_chicago(due.replace(tzinfo=None))
    if exists_in_chicago(wanted):
        assert city_wall(due) == wanted
    else:  # Chicago's spring-forward gap is one hour long
        assert city_wall(due) == wanted + timedelta(hours=1)


@properties
@given(data=st.data(), start=starts, amount=st.integers(min_value=1, max_value=60))
def test_business_day_due_times_land_at_the_end_of_a_business_day(data, start, amount):
    # given
    calendar = data.draw(calendars(start.astimezone(CHICAGO).date()))
    # when
    due = due_at(
        amount=amount, unit=SlaUnit.BUSINESS_DAYS, start=start, zone=CHICAGO, calendar=calendar
    )
    # then
    local = due.astimezone(CHICAGO)
    assert due > start
    assert local.time() == END_OF_DAY
    assert local.date().weekday() < 5
    assert calendar.is_business_day(local.date())


@properties
@given(data=st.data(), start=starts, amount=st.integers(min_value=1, max_value=60))
def test_exactly_n_minus_one_business_days_lie_between_receipt_and_due_date(data, start, amount):
    # given
    start_date = start.astimezone(CHICAGO).date()
    calendar = data.draw(calendars(start_date))
    # when
    due = due_at(
        amount=amount, unit=SlaUnit.BUSINESS_DAYS, start=start, zone=CHICAGO, calendar=calendar
    )
    # then
    due_date = due.astimezone(CHICAGO).date()
    assert due_date > start_date
    between = [start_date + timedelta(days=n) for n in range(1, (due_date - start_date).days)]
    assert sum(calendar.is_business_day(day) for day in between) == amount - 1
