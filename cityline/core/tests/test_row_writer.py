"""`RowWriter`: the statements of a bulk load, the same on SQLite and PostgreSQL."""

import os
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from cityline.catalog.models import Agency
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.inserts.rows import RowWriter
from cityline.core.inserts.values import datetime_adapter
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.services.bulk import HistoricRequest, service_request_bulk_upsert

pytestmark = pytest.mark.django_db

COLUMNS = ["code", "name", "created_at", "updated_at"]
WHEN = datetime(2026, 3, 2, 14, 30, 5, tzinfo=UTC)


def agencies(codes: list[str], name: str) -> list[tuple]:
    when = datetime_adapter(connection)(WHEN)
    return [(code, name, when, when) for code in codes]


def test_rows_are_inserted_and_read_back_by_their_keys():
    # when
    with transaction.atomic(), RowWriter() as sql:
        sql.insert(Agency, COLUMNS, agencies(["A", "B", "C"], "first"))
        found = sql.select_in(
            Agency, ["code", "name"], equal=("name", "first"), within=("code", ["A", "C", "Z"])
        )
    # then
    assert sorted(found) == [("A", "first"), ("C", "first")]
    assert list(Agency.objects.order_by("code").values_list("code", "created_at")) == [
        ("A", WHEN),
        ("B", WHEN),
        ("C", WHEN),
    ]
    assert Agency.objects.get(code="B").description == ""  # a column not given: its default


def test_an_upsert_updates_the_stored_rows_of_a_key_and_inserts_the_others():
    # given
    with transaction.atomic(), RowWriter() as sql:
        sql.insert(Agency, COLUMNS, agencies(["A", "B"], "first"))
    # when
    with transaction.atomic(), RowWriter() as sql:
        sql.insert(
            Agency, COLUMNS, agencies(["A", "D"], "second"), conflict=["code"], update=["name"]
        )
    # then
    # The column as written: the ORM would read the agency's name in the active language.
    assert dict(Agency.objects.rewrite(False).values_list("code", "name")) == {
        "A": "second",
        "B": "first",
        "D": "second",
    }


def test_rows_stored_after_an_id_are_found_and_rows_of_given_keys_deleted():
    # given
    with transaction.atomic(), RowWriter() as sql:
        sql.insert(Agency, COLUMNS, agencies(["A", "B"], "x"))
        before = sql.max_id(Agency)
        sql.insert(Agency, COLUMNS, agencies(["C", "D"], "x"))
        # when
        newer = sql.select_after(Agency, ["code"], after_id=before, equal=("name", "x"))
        sql.delete_in(Agency, within=("code", ["A", "C"]), also_within=("name", ["x"]))
    # then
    assert sorted(newer) == [("C",), ("D",)]
    assert sorted(Agency.objects.values_list("code", flat=True)) == ["B", "D"]


@pytest.mark.skipif(
    os.environ.get("CITYLINE_TEST_DB") == "postgres",
    reason="the plan of SQLite, which has no statistics to choose by",
)
def test_sqlite_finds_rows_stored_after_an_id_by_the_ids_range():
    # given requests of one source, which an index leads with
    service_type = ServiceTypeFactory()
    service_request_bulk_upsert(
        rows=[
            HistoricRequest(
                source="test",
                source_id=str(n),
                tracking_number=f"T-{n}",
                service_type_id=service_type.pk,
                agency_id=service_type.agency_id,
                requested_at=WHEN,
                updated_at=WHEN,
            )
            for n in range(3)
        ]
    )
    with transaction.atomic(), RowWriter() as sql:
        sent = []
        run = sql.execute

        def execute(statement, params):
            sent.append((statement, params))
            run(statement, params)

        sql.execute = execute
        # when
        found = sql.select_after(
            ServiceRequest, ["source_id"], after_id=0, equal=("source", "test")
        )
        # then
        [(statement, params)] = sent
        run("EXPLAIN QUERY PLAN " + statement, params)
        plan = sql.fetchall()
    assert sorted(found) == [("0",), ("1",), ("2",)]
    assert "INTEGER PRIMARY KEY (rowid>?)" in str(plan)
