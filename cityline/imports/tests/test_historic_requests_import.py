"""The pipeline every request format shares: batches, counts, and rows the database refuses."""

import gc
import sys
import threading
from datetime import UTC, datetime

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.imports import pipeline
from cityline.imports.pipeline import Rejected, historic_requests_import
from cityline.imports.reporting import ImportTally
from cityline.servicerequests.models import RequestUpdate, ServiceRequest, Status
from cityline.servicerequests.services.bulk import (
    DEFERRABLE_INDEXES,
    HistoricRequest,
    service_request_bulk_store,
)

pytestmark = pytest.mark.django_db

NOON = datetime(2024, 6, 1, 16, 0, tzinfo=UTC)


def historic(service_type, key: str, **fields) -> HistoricRequest:
    return HistoricRequest(
        source="test",
        source_id=key,
        tracking_number=f"T-{key}",
        service_type_id=service_type.pk,
        agency_id=service_type.agency_id,
        requested_at=NOON,
        updated_at=NOON,
        **fields,
    )


def test_rows_are_stored_in_batches_and_counted():
    # given
    service_type = ServiceTypeFactory()
    rows = [(n + 2, historic(service_type, str(n))) for n in range(7)]
    rows.insert(3, (99, Rejected("no Unique Key")))
    batches = []
    # when
    tally = historic_requests_import(
        rows=rows,
        tally=ImportTally(),
        batch_size=3,
        after_batch=lambda t: batches.append(t.created),
    )
    # then
    assert (tally.read, tally.created, tally.updated, tally.rejected) == (8, 7, 0, 1)
    assert tally.examples == {"no Unique Key": [99]}
    assert batches == [3, 6, 7]
    assert ServiceRequest.objects.count() == 7


def _analyses(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]


def test_postgresql_refreshes_its_statistics_of_the_columns_queries_plan_by_after_a_load():
    # given
    service_type = ServiceTypeFactory()
    # when
    with CaptureQueriesContext(connection) as queries:
        historic_requests_import(
            rows=[(2, historic(service_type, "1"))], tally=ImportTally(), batch_size=3
        )
    # then
    if connection.vendor != "postgresql":
        assert _analyses(queries) == []
        return
    assert len(_analyses(queries)) == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, attname FROM pg_stats WHERE tablename LIKE 'servicerequests_%%'"
        )
        analysed = set(cursor.fetchall())
    assert {
        ("servicerequests_servicerequest", "requested_at"),
        ("servicerequests_servicerequest", "status"),
        ("servicerequests_servicerequest", "service_type_id"),
        ("servicerequests_requestupdate", "occurred_at"),
    } <= analysed
    # Free text has no statistics (migration servicerequests.0004): it was most of what
    # ANALYZE read.
    assert ("servicerequests_servicerequest", "description") not in analysed


def test_a_load_that_stores_nothing_leaves_the_statistics_alone():
    # when
    with CaptureQueriesContext(connection) as queries:
        historic_requests_import(rows=[(2, Rejected("no Unique Key"))], tally=ImportTally())
    # then
    assert _analyses(queries) == []


def test_a_row_the_database_refuses_is_rejected_and_its_batch_neighbours_stored():
    # given a closed request without a resolution, which a constraint forbids
    service_type = ServiceTypeFactory()
    rows = [(n + 2, historic(service_type, str(n))) for n in range(10)]
    rows[6] = (8, historic(service_type, "bad", status=Status.CLOSED, closed_at=NOON))
    # when
    tally = historic_requests_import(rows=rows, tally=ImportTally(), batch_size=10)
    # then
    assert (tally.created, tally.rejected) == (9, 1)
    [(reason, lines)] = tally.examples.items()
    assert reason.startswith("refused by the database (IntegrityError")
    assert lines == [8]
    assert not ServiceRequest.objects.filter(source_id="bad").exists()
    assert ServiceRequest.objects.count() == 9


def test_a_key_repeated_in_a_batch_counts_as_an_update():
    # given
    service_type = ServiceTypeFactory()
    rows = [
        (2, historic(service_type, "1", description="first")),
        (3, historic(service_type, "1", description="second")),
    ]
    # when
    tally = historic_requests_import(rows=rows, tally=ImportTally())
    # then
    assert (tally.created, tally.updated) == (1, 1)
    assert ServiceRequest.objects.get().description == "second"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_batches_are_stored_in_a_second_thread_in_order(monkeypatch):
    # given
    service_type = ServiceTypeFactory()
    rows = [(n + 2, historic(service_type, str(n))) for n in range(7)]
    rows[5] = (7, historic(service_type, "bad", status=Status.CLOSED, closed_at=NOON))
    threads = []

    def recording_store(*, prepared):
        threads.append(threading.get_ident())
        return service_request_bulk_store(prepared=prepared)

    monkeypatch.setattr(pipeline, "service_request_bulk_store", recording_store)
    batches = []
    # when
    tally = historic_requests_import(
        rows=rows,
        tally=ImportTally(),
        batch_size=3,
        after_batch=lambda t: batches.append((t.created, t.rejected)),
    )
    # then
    assert threading.get_ident() not in threads
    assert (tally.read, tally.created, tally.rejected) == (7, 6, 1)
    assert tally.examples[next(iter(tally.examples))] == [7]
    assert batches == [(3, 0), (5, 1), (6, 1)]
    assert ServiceRequest.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_key_in_consecutive_batches_is_stored_by_the_earlier_batch_first():
    # given a key in two batches, which PostgreSQL could otherwise store at once
    service_type = ServiceTypeFactory()
    rows = [
        (2, historic(service_type, "a", description="first")),
        (3, historic(service_type, "b")),
        (4, historic(service_type, "a", description="second")),
        (5, historic(service_type, "c")),
    ]
    # when
    tally = historic_requests_import(rows=rows, tally=ImportTally(), batch_size=2)
    # then
    assert (tally.created, tally.updated, tally.rejected) == (3, 1, 0)
    assert ServiceRequest.objects.get(source_id="a").description == "second"
    assert RequestUpdate.objects.filter(request__source_id="a").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_database_failure_in_the_second_thread_stops_the_import_after_the_stored_batches(
    monkeypatch,
):
    # given a database that fails on the second batch
    service_type = ServiceTypeFactory()
    rows = [(n + 2, historic(service_type, str(n))) for n in range(7)]
    calls = []

    def failing_store(*, prepared):
        calls.append(len(prepared.rows))
        if len(calls) == 2:
            raise OperationalError("connection lost")
        return service_request_bulk_store(prepared=prepared)

    monkeypatch.setattr(pipeline, "service_request_bulk_store", failing_store)
    tally = ImportTally()
    # when, then
    with pytest.raises(OperationalError):
        historic_requests_import(rows=rows, tally=tally, batch_size=3)
    stored = set(ServiceRequest.objects.values_list("source_id", flat=True))
    # The batch before the failure is stored; so may be the one after it, stored alongside
    # (on PostgreSQL): whatever is stored is counted, and nothing of the failed batch is.
    assert {"0", "1", "2"} <= stored
    assert not stored & {"3", "4", "5"}
    assert tally.created == len(stored)


@pytest.mark.django_db(transaction=True)
def test_a_parsing_failure_counts_the_batch_the_second_thread_was_storing():
    # given rows whose parsing stops with a database error after two full batches
    service_type = ServiceTypeFactory()

    def rows():
        for n in range(6):
            yield n + 2, historic(service_type, str(n))
        raise OperationalError("database is locked")

    tally = ImportTally()
    # when, then
    with pytest.raises(OperationalError):
        historic_requests_import(rows=rows(), tally=tally, batch_size=3)
    assert (tally.read, tally.created) == (6, 6)
    assert ServiceRequest.objects.count() == 6


def test_the_cycle_collector_is_paused_during_an_import_and_runs_again_after_it():
    # given rows that note whether the collector runs while they are read
    service_type = ServiceTypeFactory()
    seen = []

    def rows():
        for n in range(3):
            seen.append(gc.isenabled())
            yield n + 2, historic(service_type, str(n))

    # when
    historic_requests_import(rows=rows(), tally=ImportTally(), batch_size=2)
    # then
    assert seen == [False] * 3
    assert gc.isenabled()


@pytest.mark.django_db(transaction=True)
def test_threads_take_turns_more_often_while_batches_are_stored_alongside_and_as_before_after():
    # given rows that note the interpreter's switch interval while they are read
    service_type = ServiceTypeFactory()
    before = sys.getswitchinterval()
    seen = []

    def rows():
        for n in range(3):
            seen.append(sys.getswitchinterval())
            yield n + 2, historic(service_type, str(n))

    # when
    historic_requests_import(rows=rows(), tally=ImportTally(), batch_size=2)
    # then
    assert seen == [pytest.approx(pipeline.SWITCH_INTERVAL)] * 3
    assert before > pipeline.SWITCH_INTERVAL
    assert sys.getswitchinterval() == before


def _indexes() -> set[str]:
    """The names of the deferrable indexes of the request tables the database holds."""
    with connection.cursor() as cursor:
        return {
            name
            for model in DEFERRABLE_INDEXES
            for name, details in connection.introspection.get_constraints(
                cursor, model._meta.db_table
            ).items()
            if details["index"] and name in ALL_DEFERRABLE
        }


ALL_DEFERRABLE = {name for names in DEFERRABLE_INDEXES.values() for name in names}


def _storing_noting_indexes(monkeypatch) -> list[set[str]]:
    seen: list[set[str]] = []

    def noting_store(*, prepared):
        seen.append(_indexes())
        return service_request_bulk_store(prepared=prepared)

    monkeypatch.setattr(pipeline, "service_request_bulk_store", noting_store)
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_load_larger_than_the_stored_requests_builds_the_deferrable_indexes_after_it(
    monkeypatch,
):
    # given empty request tables and a load of more than one batch
    service_type = ServiceTypeFactory()
    seen = _storing_noting_indexes(monkeypatch)
    rows = [(n + 2, historic(service_type, str(n))) for n in range(7)]
    # when
    tally = historic_requests_import(rows=rows, tally=ImportTally(), batch_size=3)
    # then
    assert tally.created == 7
    assert seen == [set()] * 3
    assert _indexes() == ALL_DEFERRABLE
    assert ServiceRequest.objects.filter(requested_at=NOON).count() == 7


@pytest.mark.django_db(transaction=True)
def test_a_load_into_tables_that_hold_more_keeps_every_index_up_to_date(monkeypatch):
    # given as many stored requests as a batch holds
    service_type = ServiceTypeFactory()
    historic_requests_import(
        rows=[(n + 2, historic(service_type, f"old-{n}")) for n in range(3)],
        tally=ImportTally(),
        batch_size=3,
    )
    seen = _storing_noting_indexes(monkeypatch)
    # when
    historic_requests_import(
        rows=[(n + 2, historic(service_type, str(n))) for n in range(6)],
        tally=ImportTally(),
        batch_size=3,
    )
    # then
    assert seen == [ALL_DEFERRABLE] * 2


@pytest.mark.django_db(transaction=True)
def test_a_load_that_fails_builds_the_indexes_it_deferred_again():
    # given rows whose parsing stops after two full batches
    service_type = ServiceTypeFactory()

    def rows():
        for n in range(6):
            yield n + 2, historic(service_type, str(n))
        raise OperationalError("database is locked")

    # when
    with pytest.raises(OperationalError):
        historic_requests_import(rows=rows(), tally=ImportTally(), batch_size=3)
    # then
    assert _indexes() == ALL_DEFERRABLE


@pytest.mark.django_db(transaction=True)
def test_the_next_load_builds_the_indexes_a_killed_load_left_missing(monkeypatch):
    # given a load killed while its indexes were deferred
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX sr_updated_idx")
        cursor.execute("DROP INDEX update_occurred_idx")
    service_type = ServiceTypeFactory()
    seen = _storing_noting_indexes(monkeypatch)
    # when a small load comes next, which defers nothing
    historic_requests_import(
        rows=[(2, historic(service_type, "1"))], tally=ImportTally(), batch_size=3
    )
    # then
    assert seen == [ALL_DEFERRABLE]
    assert _indexes() == ALL_DEFERRABLE
