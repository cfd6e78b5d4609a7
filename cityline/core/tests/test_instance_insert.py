from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cityline.core.inserts.instances import (
    instance_insert,
    instance_prepare,
    instances_prepare,
    prepared_instance_insert,
    prepared_instances_insert,
)
from cityline.core.models import OutboxMessage
from cityline.servicerequests.models import RequestAnswer, RequestUpdate, ServiceRequest
from cityline.servicerequests.tests.factories import make_request

WHEN = datetime(2026, 3, 2, 14, 30, 5, 250000, tzinfo=UTC)


@pytest.mark.django_db
def test_an_inserted_instance_gets_its_key_and_reads_back_as_the_orm_would_store_it():
    # given
    message = OutboxMessage(topic="t", payload={"ids": [1, 2], "note": "é"}, available_at=WHEN)
    # when
    with time_machine.travel(WHEN, tick=False):
        instance_insert(message)
    # then
    assert message.pk is not None
    assert not message._state.adding
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.payload == {"ids": [1, 2], "note": "é"}
    assert stored.available_at == WHEN
    assert stored.created_at == WHEN  # auto_now_add, as save() would set it
    assert stored.attempts == 0  # the field's default


@pytest.mark.django_db
def test_an_instance_with_a_default_uuid_and_foreign_keys_is_stored_whole():
    # given
    request = make_request()
    update = RequestUpdate(request=request, kind="note", status=request.status, via="web")
    # when
    instance_insert(update)
    # then
    stored = RequestUpdate.objects.get(pk=update.pk)
    assert stored.request_id == request.pk
    assert stored.public_id == update.public_id


@pytest.mark.django_db
def test_instances_are_inserted_in_one_statement():
    # given
    request = make_request()
    answers = [
        RequestAnswer(request=request, attribute_code="size", value="large"),
        RequestAnswer(request=request, attribute_code="colours", value=["red", "blue"]),
    ]
    # when
    with CaptureQueriesContext(connection) as queries:
        prepared_instances_insert(instances_prepare(answers))
    # then: one statement holds both rows (not one statement run twice, which PostgreSQL would
    # parse and plan twice)
    assert len(queries) == 1
    assert " times: " not in queries[0]["sql"]
    assert queries[0]["sql"].count("), (") == 1
    assert dict(
        RequestAnswer.objects.filter(request=request).values_list("attribute_code", "value")
    ) == {"size": "large", "colours": ["red", "blue"]}


@pytest.mark.django_db
def test_no_instances_means_no_statement():
    with CaptureQueriesContext(connection) as queries:
        prepared_instances_insert(instances_prepare([]), parent_pk=1)
    assert len(queries) == 0


@pytest.mark.django_db
def test_rows_prepared_before_their_parent_is_stored_are_inserted_under_its_key():
    # given: answers prepared for a request that is not stored yet
    stored = make_request()
    unsaved = ServiceRequest(service_type=stored.service_type, agency=stored.agency)
    prepared = instances_prepare(
        [RequestAnswer(request=unsaved, attribute_code="size", value="large")], parent="request"
    )
    # when: the request is stored, the answers go in under its key
    with CaptureQueriesContext(connection) as queries:
        prepared_instances_insert(prepared, parent_pk=stored.pk)
    # then
    assert len(queries) == 1
    assert list(RequestAnswer.objects.values_list("request_id", "attribute_code", "value")) == [
        (stored.pk, "size", "large")
    ]


@pytest.mark.django_db
def test_rows_prepared_without_their_parent_are_refused_without_its_key():
    # given
    request = make_request()
    prepared = instances_prepare(
        [RequestAnswer(request=request, attribute_code="size", value="large")], parent="request"
    )
    # when / then: nothing is written with a missing parent
    with pytest.raises(ValueError, match="parent"):
        prepared_instances_insert(prepared)
    assert not RequestAnswer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_inserts_belong_to_the_callers_transaction():
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        instance_insert(OutboxMessage(topic="t", payload={}, available_at=WHEN))
        raise RuntimeError("the change failed")
    # then
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_prepared_insert_stores_the_values_it_was_prepared_with():
    # given
    message = OutboxMessage(topic="before", payload={}, available_at=WHEN)
    prepared = instance_prepare(message)
    message.topic = "after"
    # when
    with CaptureQueriesContext(connection) as queries:
        prepared_instance_insert(prepared)
    # then
    assert len(queries) == 1
    assert OutboxMessage.objects.get(pk=message.pk).topic == "before"
