"""Local times of import files: fixed cases, and generated times against the standard library."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cityline.imports.times import TimeParser

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("05/01/2022 12:00:03 AM", datetime(2022, 5, 1, 4, 0, 3)),
        ("05/01/2022 12:00:03 PM", datetime(2022, 5, 1, 16, 0, 3)),
        ("12/25/2013 11:59:08 PM", datetime(2013, 12, 26, 4, 59, 8)),
        ("2024-12-31 09:24:11", datetime(2024, 12, 31, 14, 24, 11)),
        ("2024-07-04T09:24:11.000", datetime(2024, 7, 4, 13, 24, 11)),
        ("2024-07-04T09:24:11.250", datetime(2024, 7, 4, 13, 24, 11, 250000)),
        ("2024-07-04T09:24:11Z", datetime(2024, 7, 4, 9, 24, 11)),
        ("2025-05-29", datetime(2025, 5, 29, 4, 0)),
        ("05/29/2025", datetime(2025, 5, 29, 4, 0)),
        # the spring-forward hour does not exist in New York; it reads as standard time
        ("03/10/2024 02:30:00 AM", datetime(2024, 3, 10, 7, 30)),
        # the fall-back hour happens twice; the first (daylight) one is taken
        ("11/03/2024 01:30:00 AM", datetime(2024, 11, 3, 5, 30)),
        ("  12/25/2013 12:00:00 AM ", datetime(2013, 12, 25, 5, 0)),
    ],
)
def test_new_york_times_become_utc(text, utc):
    # when
    parsed = TimeParser(NEW_YORK).parse(text)
    # then
    assert parsed == utc.replace(tzinfo=UTC)
    assert parsed.tzinfo is UTC


def test_a_time_read_twice_is_the_same():
    # given
    times = TimeParser(NEW_YORK)
    # when
    first, second = times.parse("05/01/2022 01:07:46 AM"), times.parse("05/01/2022 01:07:46 AM")
    # then
    assert first == second == datetime(2022, 5, 1, 5, 7, 46, tzinfo=UTC)


def test_times_of_one_hour_read_one_after_another_are_each_right():
    # given times that share their local hour, one of them the hour that happens twice
    times = TimeParser(NEW_YORK)
    texts = ["2024-11-03 01:10:00", "2024-11-03 01:50:59", "11/03/2024 01:05:07 AM"]
    # when
    parsed = [times.parse(text) for text in texts]
    # then
    assert parsed == [
        datetime(2024, 11, 3, 5, 10, tzinfo=UTC),
        datetime(2024, 11, 3, 5, 50, 59, tzinfo=UTC),
        datetime(2024, 11, 3, 5, 5, 7, tzinfo=UTC),
    ]
    assert all(moment.tzinfo is UTC for moment in parsed)


def test_an_empty_cell_is_no_time():
    assert TimeParser(NEW_YORK).parse("") is None
    assert TimeParser(NEW_YORK).parse("   ") is None


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "13/45/2022 12:00:00 AM",
        "05/01/2022 13:00:00 AM",
        "05/01/2022 12:00:00 XM",
        "05/01/2022 12:61:00 AM",
        "2024-02-30 10:00:00",
        "2024-13-01",
        "2024-12-31 09:24x11",
        "2024-12-31 09:60:00",
    ],
)
def test_text_that_is_not_a_time_is_an_error(text):
    with pytest.raises(ValueError):
        TimeParser(NEW_YORK).parse(text)


def test_text_that_is_not_a_time_is_an_error_after_a_time_of_its_hour():
    # given
    times = TimeParser(NEW_YORK)
    times.parse("2024-12-31 09:24:11")
    # when, then
    for text in ("2024-12-31 09:24x11", "2024-12-31 09:61:00", "2024-12-31 09:2:011"):
        with pytest.raises(ValueError):
            times.parse(text)


# The layouts files write, each with the standard library's reading of it.
LAYOUTS = [
    ("%m/%d/%Y %I:%M:%S %p", "strptime"),
    ("%Y-%m-%d %H:%M:%S", "strptime"),
    ("%Y-%m-%dT%H:%M:%S", "strptime"),
    ("%Y-%m-%dT%H:%M:%S.000", "fromisoformat"),
    ("%Y-%m-%d %H:%M:%S.0", "fromisoformat"),
    ("%Y-%m-%dT%H:%M:%S.%f", "fromisoformat"),
    ("%Y-%m-%d", "strptime"),
    ("%m/%d/%Y", "strptime"),
]

# Wall-clock times of every kind New York has: ordinary ones, the hour skipped in spring and
# the hour that happens twice in autumn (taken as the first, daylight, one: fold 0).
local_times = st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2998, 12, 31))


def standard_library(text: str, layout: str, reader: str, zone: ZoneInfo) -> datetime:
    if reader == "strptime":
        return datetime.strptime(text, layout).replace(tzinfo=zone).astimezone(UTC)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


@given(moment=local_times, layout=st.sampled_from(LAYOUTS))
@example(moment=datetime(2024, 3, 10, 2, 30, 5), layout=LAYOUTS[0])  # skipped in spring
@example(moment=datetime(2024, 11, 3, 1, 30, 5), layout=LAYOUTS[1])  # twice in autumn
@example(moment=datetime(2024, 11, 3, 12, 0, 0), layout=LAYOUTS[0])  # noon, 12 PM
@example(moment=datetime(2024, 11, 3, 0, 0, 0), layout=LAYOUTS[0])  # midnight, 12 AM
def test_a_written_time_reads_as_the_standard_library_reads_it(moment, layout):
    # given
    pattern, reader = layout
    text = moment.strftime(pattern)
    # when
    parsed = TimeParser(NEW_YORK).parse(text)
    # then
    assert parsed == standard_library(text, pattern, reader, NEW_YORK)
    assert parsed.tzinfo is UTC


@given(moment=local_times, offset_minutes=st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_a_time_with_an_offset_is_taken_as_written(moment, offset_minutes):
    # given
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = f"{moment:%Y-%m-%dT%H:%M:%S}{sign}{hours:02d}:{minutes:02d}"
    # when
    parsed = TimeParser(NEW_YORK).parse(text)
    # then
    assert parsed == datetime.fromisoformat(text).astimezone(UTC)


@given(
    moments=st.lists(local_times, min_size=1, max_size=30),
    layout=st.sampled_from(LAYOUTS),
)
def test_a_parser_that_remembers_hours_reads_each_time_as_a_fresh_one_does(moments, layout):
    # given one parser for a whole file, where times share their hours and texts repeat
    pattern, _ = layout
    texts = [moment.strftime(pattern) for moment in moments]
    texts += [moment.replace(minute=59 - moment.minute).strftime(pattern) for moment in moments]
    times = TimeParser(NEW_YORK)
    # when
    parsed = [times.parse(text) for text in texts]
    # then
    assert parsed == [TimeParser(NEW_YORK).parse(text) for text in texts]


@given(
    month=st.integers(0, 19),
    day=st.integers(0, 39),
    hour=st.integers(0, 29),
    minute=st.integers(0, 99),
    second=st.integers(0, 99),
    marker=st.sampled_from(["AM", "PM", "XM"]),
    year=st.integers(1901, 2998),
)
def test_a_time_with_a_field_out_of_range_is_refused_as_the_standard_library_refuses_it(
    month, day, hour, minute, second, marker, year
):
    # given texts of every layout, some of whose fields are out of range
    texts = [
        (
            f"{month:02d}/{day:02d}/{year} {hour:02d}:{minute:02d}:{second:02d} {marker}",
            "%m/%d/%Y %I:%M:%S %p",
        ),
        (f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}", "%Y-%m-%d %H:%M:%S"),
        (f"{year}-{month:02d}-{day:02d}", "%Y-%m-%d"),
    ]
    for text, pattern in texts:
        try:
            expected = standard_library(text, pattern, "strptime", NEW_YORK)
        except ValueError:
            # when / then
            with pytest.raises(ValueError):
                TimeParser(NEW_YORK).parse(text)
        else:
            # when / then
            assert TimeParser(NEW_YORK).parse(text) == expected
