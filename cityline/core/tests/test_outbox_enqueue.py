from datetime import UTC, datetime

import pytest
import time_machine
from django.db import transaction

from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_enqueue, outbox_enqueue_prepared, outbox_prepare
from cityline.core.tests.conftest import TOPIC


@pytest.mark.django_db(transaction=True)
def test_a_message_is_delivered_only_once_its_transaction_commits(received):
    # given
    with transaction.atomic():
        message = outbox_enqueue(topic=TOPIC, payload={"request_id": 7})
        # then: written, but nobody has been told yet
        assert OutboxMessage.objects.filter(pk=message.pk, delivered_at=None).exists()
        assert received == []
    # when the block commits, then
    assert received == [{"request_id": 7}]
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_message_of_a_rolled_back_transaction_is_neither_kept_nor_delivered(received):
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(topic=TOPIC, payload={"request_id": 7})
        raise RuntimeError("the change failed")
    # then
    assert received == []
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_message_waits_unclaimed_and_available_from_now(received):
    # given
    now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    # when
    with time_machine.travel(now, tick=False):
        message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # then: the test's transaction never commits, so nothing was delivered
    message.refresh_from_db()
    assert message.available_at == now
    assert (message.claimed_at, message.delivered_at, message.attempts) == (None, None, 0)
    assert received == []


@pytest.mark.django_db(transaction=True)
def test_a_message_prepared_before_its_transaction_is_written_in_it_with_its_payload(received):
    # given a message made ready before the transaction whose row it will name
    prepared = outbox_prepare(topic=TOPIC)
    # when
    with transaction.atomic():
        outbox_enqueue_prepared(prepared, payload={"request_id": 7})
        # then: written, but nobody has been told yet
        assert OutboxMessage.objects.get().payload == {"request_id": 7}
        assert received == []
    # and once the block commits it is delivered
    assert received == [{"request_id": 7}]
    assert OutboxMessage.objects.get().delivered_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_prepared_message_of_a_rolled_back_transaction_is_neither_kept_nor_delivered(received):
    # given
    prepared = outbox_prepare(topic=TOPIC)
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue_prepared(prepared, payload={"request_id": 7})
        raise RuntimeError("the change failed")
    # then
    assert received == []
    assert not OutboxMessage.objects.exists()
