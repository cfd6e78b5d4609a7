from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.core import outbox
from cityline.core.models import OutboxMessage
from cityline.core.outbox import MAX_ATTEMPTS, outbox_deliver, outbox_enqueue, outbox_handler
from cityline.core.tests.conftest import TOPIC

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_a_message_is_delivered_once_and_marked_delivered(received):
    # given
    message = outbox_enqueue(topic=TOPIC, payload={"request_id": 1})
    # when
    with time_machine.travel(NOW, tick=False):
        first = outbox_deliver(message_id=message.pk)
    second = outbox_deliver(message_id=message.pk)
    # then
    assert (first, second) == (True, False)
    assert received == [{"request_id": 1}]
    message.refresh_from_db()
    assert message.delivered_at == NOW
    assert message.attempts == 1


def test_a_message_another_worker_holds_is_left_to_it(received):
    # given
    message = outbox_enqueue(topic=TOPIC, payload={"request_id": 1})
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=NOW)
    # when
    delivered = outbox_deliver(message_id=message.pk)
    # then
    assert delivered is False
    assert received == []
    message.refresh_from_db()
    assert (message.delivered_at, message.attempts) == (None, 0)


def test_every_handler_of_the_topic_runs(received):
    # given
    also: list[dict] = []
    outbox_handler(TOPIC)(also.append)
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # when
    try:
        outbox_deliver(message_id=message.pk)
    finally:
        outbox._handlers[TOPIC].remove(also.append)
    # then
    assert received == also == [{"n": 1}]


def test_a_message_nobody_handles_is_marked_delivered():
    # given
    message = outbox_enqueue(topic="nobody.listens", payload={})
    # when
    delivered = outbox_deliver(message_id=message.pk)
    # then
    assert delivered is True
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_a_failing_handler_releases_the_message_records_the_error_and_backs_off(flaky):
    # given
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # when
    with time_machine.travel(NOW, tick=False):
        delivered = outbox_deliver(message_id=message.pk)
    # then
    assert delivered is False
    message.refresh_from_db()
    assert (message.claimed_at, message.delivered_at, message.attempts) == (None, None, 1)
    assert "ConnectionError('mail server unreachable')" in message.last_error
    assert message.available_at == NOW + timedelta(seconds=60)


def test_each_failure_doubles_the_wait(flaky):
    # given: the message failed once already
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    outbox_deliver(message_id=message.pk)
    # when
    with time_machine.travel(NOW, tick=False):
        outbox_deliver(message_id=message.pk)
    # then
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.available_at == NOW + timedelta(seconds=120)


def test_after_the_last_attempt_a_message_waits_for_an_operator(flaky):
    # given
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    # when
    with time_machine.travel(NOW, tick=False):
        outbox_deliver(message_id=message.pk)
    # then
    message.refresh_from_db()
    assert message.attempts == MAX_ATTEMPTS
    assert message.available_at >= NOW + timedelta(days=3650)
    assert message.delivered_at is None


def test_a_message_that_failed_is_delivered_by_a_later_attempt(flaky):
    # given
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    outbox_deliver(message_id=message.pk)
    flaky.working = True
    # when
    delivered = outbox_deliver(message_id=message.pk)
    # then
    assert delivered is True
    assert flaky.calls == 2
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 2
