from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree

from cityline.open311.renderers import Document, W3CFormatter, w3c_datetime, xml_bytes

# Zones and hours around their changes of offset.
OFFSET_CHANGES = [
    # Daylight saving starts and ends in Chicago.
    ("America/Chicago", datetime(2026, 3, 8, 6, 0, tzinfo=UTC)),
    ("America/Chicago", datetime(2026, 11, 1, 5, 0, tzinfo=UTC)),
    # Lord Howe Island moves by half an hour, at half past the UTC hour.
    ("Australia/Lord_Howe", datetime(2026, 4, 4, 13, 0, tzinfo=UTC)),
    ("Australia/Lord_Howe", datetime(2026, 10, 3, 14, 0, tzinfo=UTC)),
    ("Asia/Kathmandu", datetime(2026, 1, 1, 0, 0, tzinfo=UTC)),
    ("UTC", datetime(2026, 1, 1, 0, 0, tzinfo=UTC)),
]


def every_seven_minutes(start: datetime) -> list[datetime]:
    return [start + timedelta(minutes=7 * step, microseconds=999_999) for step in range(120)]


@pytest.mark.parametrize(("zone", "start"), OFFSET_CHANGES)
def test_the_fast_formatter_agrees_with_the_plain_one_across_offset_changes(zone, start):
    # given
    city = ZoneInfo(zone)
    formatter = W3CFormatter(city)
    moments = every_seven_minutes(start)
    # when
    fast = [formatter(moment) for moment in moments]
    # then
    assert fast == [w3c_datetime(moment, city) for moment in moments]


@pytest.mark.parametrize(("zone", "start"), OFFSET_CHANGES)
def test_utc_text_as_each_database_writes_it_is_formatted_like_the_instant(zone, start):
    # given the same instants in SQLite's text (no offset) and PostgreSQL's (`+00`)
    city = ZoneInfo(zone)
    formatter = W3CFormatter(city)
    moments = every_seven_minutes(start)
    sqlite_texts = [moment.isoformat(" ")[:-6] for moment in moments]
    postgres_texts = [moment.isoformat(" ")[:-3] for moment in moments]
    # when
    from_sqlite = [formatter.utc_text(text) for text in sqlite_texts]
    from_postgres = [formatter.utc_text(text) for text in postgres_texts]
    # then
    expected = [w3c_datetime(moment, city) for moment in moments]
    assert from_sqlite == expected
    assert from_postgres == expected
    assert formatter.utc_text(None) is None


def test_one_formatter_per_zone_serves_every_page_and_its_caches_stay_bounded(monkeypatch):
    # given
    chicago = ZoneInfo("America/Chicago")
    formatter = W3CFormatter.for_zone(chicago)
    monkeypatch.setattr(W3CFormatter, "CACHE_LIMIT", 2)
    texts = [f"2026-07-0{day} 1{day}:30:00" for day in range(1, 6)]
    # when
    formatted = [formatter.utc_text(text) for text in texts]
    # then
    assert W3CFormatter.for_zone(ZoneInfo("America/Chicago")) is formatter
    assert W3CFormatter.for_zone(ZoneInfo("Asia/Tokyo")) is not formatter
    assert formatted[0] == "2026-07-01T06:30:00-05:00"
    assert formatted[-1] == "2026-07-05T10:30:00-05:00"
    assert len(formatter._text_hours) <= 2
    assert len(formatter._hours) <= 2


def test_the_fast_formatter_accepts_instants_in_any_zone_and_none():
    # given
    formatter = W3CFormatter(ZoneInfo("America/Chicago"))
    tokyo = datetime(2026, 7, 1, 9, 30, 15, 500_000, tzinfo=ZoneInfo("Asia/Tokyo"))
    # when / then
    assert formatter(tokyo) == "2026-06-30T19:30:15-05:00"
    assert formatter(None) is None


def test_xml_escapes_markup_and_drops_characters_xml_cannot_hold():
    # given
    document = Document(
        root="services",
        item="service",
        body=[{"description": "<b>A & B</b>\x00\x1b\ufffe", "metadata": True, "order": 3}],
    )
    # when
    root = ElementTree.fromstring(xml_bytes(document))
    # then
    service = root.find("service")
    assert service.findtext("description") == "<b>A & B</b>"
    assert service.findtext("metadata") == "true"
    assert service.findtext("order") == "3"


@pytest.mark.parametrize(
    ("zone", "text", "expected"),
    [
        ("America/Chicago", "0001-01-01 00:00:00", "0001-01-01T00:00:00+00:00"),
        ("America/Chicago", "0001-01-01 05:50:00.5+00", "0001-01-01T05:50:00+00:00"),
        ("Pacific/Kiritimati", "9999-12-31 23:59:59.999999", "9999-12-31T23:59:59+00:00"),
    ],
)
def test_an_instant_whose_local_time_is_off_the_calendar_is_written_in_utc(zone, text, expected):
    # given
    formatter = W3CFormatter(ZoneInfo(zone))
    # when
    written = formatter.utc_text(text)
    # then
    assert written == expected
    assert (
        w3c_datetime(datetime.fromisoformat(text).replace(tzinfo=UTC), ZoneInfo(zone)) == expected
    )
