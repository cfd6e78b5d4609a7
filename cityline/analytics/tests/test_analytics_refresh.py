"""An incremental refresh writes what changed since the last one, into the months it touches, and
nothing else; a full refresh rewrites the store from the database."""

import dataclasses
from datetime import timedelta

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import time_machine

from cityline.analytics.models import StoreState
from cityline.analytics.services import analytics_refresh
from cityline.analytics.store import EVENTS, REQUESTS, partition_path, store_root
from cityline.analytics.tests.conftest import AS_OF, MONDAY, close_at, file_at
from cityline.core import clock
from cityline.servicerequests.models import Channel, ServiceRequest
from cityline.servicerequests.services.lifecycle import service_request_reopen
from cityline.servicerequests.tests.factories import historic_request, load_historic

pytestmark = pytest.mark.django_db
LATER = AS_OF + timedelta(days=1)


def stored(table: str = REQUESTS) -> dict[int, dict]:
    """The table's rows by id, read with pyarrow as another engine would read them."""
    month = ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive")
    rows = ds.dataset(store_root() / table, partitioning=month).to_table().to_pylist()
    if table == REQUESTS:
        rows = [{**row, "areas": dict(row["areas"])} for row in rows]
    return {row["id"]: row for row in rows}


def file_identity(table: str, month: str) -> tuple[int, int]:
    status = partition_path(table, month).stat()
    return status.st_ino, status.st_mtime_ns


def refresh_at(when, **kwargs):
    with time_machine.travel(when, tick=False):
        return analytics_refresh(**kwargs)


@pytest.fixture
def stored_city(city):
    refresh_at(AS_OF, full=True)
    return city


def test_a_full_refresh_stores_every_request_and_its_history_without_personal_data(city):
    # when
    result = refresh_at(AS_OF, full=True)
    # then
    requests = stored()
    assert result.requests == len(requests) == ServiceRequest.objects.count()
    reopened = requests[city.requests["reopened"].pk]
    assert (reopened["status"], reopened["late_close_reason"]) == ("closed", "Waiting for parts")
    assert reopened["areas"] == {"council": "1"} and reopened["month"] == "2026-03"
    assert reopened["proactive"] is False and requests[city.requests["inspector"].pk]["proactive"]
    kinds = [e["kind"] for e in stored(EVENTS).values() if e["request_id"] == reopened["id"]]
    assert sorted(kinds) == ["closed", "closed", "created", "reopened"]
    columns = set(pq.read_schema(partition_path(REQUESTS, "2026-03")).names)
    columns |= set(pq.read_schema(partition_path(EVENTS, "2026-03")).names)
    assert not columns & {"description", "note", "status_notes", "address", "latitude", "email"}


def test_a_refresh_writes_a_new_request_into_its_month_alone(stored_city):
    # given
    february = file_identity(REQUESTS, "2026-02")
    new = file_at(AS_OF + timedelta(hours=1), stored_city.potholes)
    # when
    result = refresh_at(LATER)
    # then
    assert (result.requests, result.months) == (1, ("2026-03",))
    assert stored()[new.pk]["status"] == "new"
    assert file_identity(REQUESTS, "2026-02") == february
    assert len(stored()) == ServiceRequest.objects.count()


def test_a_refresh_picks_up_a_close_and_a_reopen_and_nothing_else(stored_city):
    # given
    r = stored_city.requests
    close_at(AS_OF + timedelta(hours=1), r["open_light"], reason=stored_city.staffing)
    with time_machine.travel(AS_OF + timedelta(hours=2), tick=False):
        service_request_reopen(request=r["february"], by=None, via=Channel.WEB)
    before = stored()
    # when
    result = refresh_at(LATER)
    # then
    after = stored()
    assert result.requests == 2
    assert set(result.months) == {"2026-02", "2026-03"}
    assert after[r["open_light"].pk]["status"] == "closed"
    assert after[r["february"].pk]["status"] == "acknowledged"
    assert after[r["february"].pk]["closed_at"] is None
    unchanged = set(before) - {r["open_light"].pk, r["february"].pk}
    assert {i: after[i] for i in unchanged} == {i: before[i] for i in unchanged}
    reopen_events = [e for e in stored(EVENTS).values() if e["request_id"] == r["february"].pk]
    assert [e["kind"] for e in sorted(reopen_events, key=lambda e: e["id"])][-1] == "reopened"


def test_a_refresh_with_nothing_changed_reads_nothing_and_rewrites_no_file(stored_city):
    # given
    march = file_identity(REQUESTS, "2026-03")
    # when
    result = refresh_at(LATER)
    # then
    assert (result.requests, result.months) == (0, ())
    assert file_identity(REQUESTS, "2026-03") == march


def test_a_change_dated_just_before_the_last_refresh_is_still_read(stored_city):
    # given: a close committed after the refresh, stamped half a minute before it
    close_at(
        AS_OF - timedelta(seconds=30),
        stored_city.requests["open_light"],
        reason=stored_city.staffing,
    )
    # when
    result = refresh_at(LATER)
    # then
    assert result.requests == 1
    assert stored()[stored_city.requests["open_light"].pk]["status"] == "closed"


def test_a_request_whose_receipt_time_moved_leaves_its_old_month(stored_city):
    # given: an imported request, re-imported with a corrected time of receipt
    row = historic_request(
        service_type=stored_city.lights, source_id="7", requested_at=MONDAY - timedelta(days=40)
    )
    with time_machine.travel(AS_OF + timedelta(hours=1), tick=False):
        (imported,) = load_historic([row])
    refresh_at(AS_OF + timedelta(hours=2))
    assert stored()[imported.pk]["month"] == "2026-01"
    with time_machine.travel(AS_OF + timedelta(hours=3), tick=False):
        load_historic([dataclasses.replace(row, requested_at=MONDAY, updated_at=clock.now())])
    # when
    result = refresh_at(LATER)
    # then
    assert set(result.months) == {"2026-01", "2026-03"}
    assert stored()[imported.pk]["month"] == "2026-03"
    assert not partition_path(REQUESTS, "2026-01").exists()
    assert len(stored()) == ServiceRequest.objects.count()


def test_a_full_refresh_drops_the_months_of_requests_no_longer_in_the_database(stored_city):
    # given
    ServiceRequest.objects.filter(pk=stored_city.requests["february"].pk).delete()
    # when
    result = refresh_at(LATER, full=True)
    # then
    assert "2026-02" in result.months
    assert not partition_path(REQUESTS, "2026-02").exists()
    assert not partition_path(EVENTS, "2026-02").exists()
    assert len(stored()) == ServiceRequest.objects.count()


def test_the_watermark_holds_the_last_request_read_and_when_the_refresh_began(stored_city):
    # when
    state = StoreState.objects.get()
    # then
    assert state.last_id == ServiceRequest.objects.order_by("-id").first().pk
    assert state.changed_through == AS_OF
    assert state.refreshed_at == AS_OF
    assert state.lease_token is None


def test_a_refresh_reads_the_database_in_chunks(city, settings):
    # given
    settings.CITYLINE_ANALYTICS_CHUNK_SIZE = 3
    # when
    result = refresh_at(AS_OF, full=True)
    # then
    assert result.requests == len(stored()) == ServiceRequest.objects.count()
    assert len(stored(EVENTS)) == sum(r.updates.count() for r in ServiceRequest.objects.all())
