"""The Stat pack: its figures from the store, printed where a reader finds them."""

import io
import re

import pytest
import time_machine
from pypdf import PdfReader

from cityline.analytics import statpack
from cityline.analytics.services import analytics_refresh
from cityline.analytics.tests.conftest import AS_OF, LAYER
from cityline.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_city(city, settings):
    settings.CITYLINE_DISTRICT_LAYER = LAYER
    with time_machine.travel(AS_OF, tick=False):
        analytics_refresh(full=True)
    return city


def pdf_text(body: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_streets_agencys_march_figures_by_hand(stored_city):
    # when
    pack = statpack.stat_pack(agency="STR", month="2026-03", made_at=AS_OF)
    # then: six requests in March (potholes and trees), two in March a year before
    assert (pack.received, pack.received_year_before) == (6, 2)
    assert [(row.code, row.requests, row.year_before) for row in pack.types] == [
        ("pothole", 4, 1),
        ("tree", 2, 1),
    ]
    # one of four closed with a due time was on time; all of February's one was
    assert (pack.on_time.on_time, pack.on_time.closed_with_due) == (1, 4)
    assert pack.on_time.change == pytest.approx(-75)
    assert pack.close_times.median_days == pytest.approx((71 / 24 + 117 / 24) / 2)
    # the late closes: the weather, waiting for parts and the duplicate closed without a reason
    assert pack.late_reasons == [("", 1), ("Waiting for parts", 1), ("Weather", 1)]
    # still open on 20 March: two trees of March, 18 and 10 days old, and one of a year before
    assert [bucket.requests for bucket in pack.backlog] == [0, 2, 0, 1]
    assert pack.oldest[0].tracking_number == stored_city.requests["last_year_east"].tracking_number
    assert pack.trend[-1] == ("2026-03", 6)
    assert pack.trend[0] == ("2025-03", 2)
    assert len(pack.trend) == 13
    assert [(spot.key, spot.requests) for spot in pack.hot_districts] == [("1", 4), ("2", 2)]


def test_the_pdf_prints_the_agencys_figures(stored_city):
    # given
    pack = statpack.stat_pack(agency="STR", month="2026-03", made_at=AS_OF)
    # when
    body = statpack.stat_pack_pdf(pack=pack)
    text = pdf_text(body)
    # then
    assert "STAT PACK" in text
    assert pack.agency_name in text
    assert "March 2026" in text
    assert "REQUESTS RECEIVED 6" in text
    assert "2 in the same month a year before" in text
    assert "CLOSED ON TIME 25 %" in text
    assert "1 of 4 closed with a due time; -75 pts on the month before" in text
    assert "DAYS TO CLOSE 3.9" in text
    assert "median of 4 closed; 90th percentile 5.0" in text
    assert "STILL OPEN 3" in text
    assert "Waiting for parts" in text and "Weather" in text and "no reason given" in text
    assert stored_city.requests["last_year_east"].tracking_number in text
    assert "Mar 25" in text and "Feb 26" in text
    assert stored_city.potholes.name in text


def test_a_month_and_agency_not_known_are_refused_by_field(stored_city):
    # when / then
    with pytest.raises(InvalidInput) as month:
        statpack.stat_pack(agency="STR", month="2026-13")
    with pytest.raises(InvalidInput) as agency:
        statpack.stat_pack(agency="NOPE", month="2026-03")
    assert (month.value.field, agency.value.field) == ("month", "agency")


def test_the_worker_writes_each_agencys_pack_once(stored_city, store_dir):
    # when
    first = statpack.stat_packs_write_missing(month="2026-03")
    again = statpack.stat_packs_write_missing(month="2026-03")
    # then
    assert sorted(path.name for path in first) == [
        "statpack-DOT-2026-03.pdf",
        "statpack-STR-2026-03.pdf",
    ]
    assert again == []
    assert "STAT PACK" in pdf_text(first[0].read_bytes())


def test_stored_packs_are_listed_to_those_who_read_their_agency(stored_city):
    # given
    statpack.stat_packs_write(month="2026-03")
    # when / then
    assert statpack.stat_packs_stored(agencies=frozenset({"DOT"})) == ["statpack-DOT-2026-03.pdf"]
    assert len(statpack.stat_packs_stored(agencies=None)) == 2
    assert statpack.stat_packs_stored(agencies=frozenset()) == []
