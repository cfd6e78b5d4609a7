"""The NYC 311 row parser's pure parts: times and resolutions."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from cityline.imports.catalog import service_type_code, service_type_name
from cityline.imports.formats.nyc311 import (
    RESOLUTION_WORDING,
    TimeParser,
    _zipcode,
    column_key,
    resolution_for,
)
from cityline.servicerequests.models import Resolution

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


@pytest.mark.parametrize(
    ("description", "resolution"),
    [
        (
            "The Police Department responded to the complaint and took action to fix the "
            "condition.",
            Resolution.COMPLETED,
        ),
        (
            "The Police Department responded to the complaint and with the information available "
            "observed no evidence of the violation at that time.",
            Resolution.NO_ACTION_NEEDED,
        ),
        (
            "The Department of Buildings investigated this complaint and determined that no "
            "further action was necessary.",
            Resolution.NO_ACTION_NEEDED,
        ),
        (
            "The Department of Buildings attempted to investigate this complaint but could not "
            "locate the premises.",
            Resolution.UNABLE_TO_LOCATE,
        ),
        (
            "The Police Department visited the location and no Encampment was found.",
            Resolution.UNABLE_TO_LOCATE,
        ),
        (
            "The Department of Buildings reviewed this complaint and referred it to the New York "
            "City Housing Authority for further action.",
            Resolution.REFERRED,
        ),
        (
            "This complaint does not fall under the Police Department's jurisdiction.",
            Resolution.REFERRED,
        ),
        ("This service request was closed because it is a duplicate.", Resolution.DUPLICATE),
        ("The service request was cancelled by the customer.", Resolution.CANCELLED),
        ("", Resolution.COMPLETED),
    ],
)
def test_a_closed_request_gets_its_resolution_from_the_wording(description, resolution):
    assert resolution_for(description) == resolution


def test_every_wording_rule_names_a_resolution():
    assert {code for code, _ in RESOLUTION_WORDING} <= set(Resolution.values)


@pytest.mark.parametrize(
    ("text", "zipcode"),
    [
        ("10027", "10027"),
        ("10032.0", "10032"),
        ("10027-1234", "10027-1234"),
        (" 11201 ", "11201"),
        ("N/A", ""),
        ("", ""),
        ("1002", ""),
    ],
)
def test_zipcodes_are_cleaned(text, zipcode):
    assert _zipcode(text) == zipcode


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Unique Key", "unique_key"),
        ("unique_key", "unique_key"),
        ("X Coordinate (State Plane)", "x_coordinate_state_plane"),
        ("x_coordinate_state_plane", "x_coordinate_state_plane"),
    ],
)
def test_column_names_of_every_layout_match(name, key):
    assert column_key(name) == key


@pytest.mark.parametrize(
    ("name", "code", "display"),
    [
        ("Noise - Street/Sidewalk", "noise-street-sidewalk", "Noise - Street/Sidewalk"),
        ("elevator", "elevator", "Elevator"),
        ("HEATING", "heating", "HEATING"),
        ("  Blocked   Driveway ", "blocked-driveway", "Blocked Driveway"),
    ],
)
def test_service_type_codes_and_names(name, code, display):
    assert service_type_code(name) == code
    assert service_type_name(name.strip()) == display
