from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from cityline.core.models import OutboxMessage
from cityline.core.outbox import CLAIM_TIMEOUT, outbox_deliver, outbox_enqueue, outbox_sweep
from cityline.core.tests.conftest import TOPIC

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_the_sweep_delivers_messages_whose_time_has_come(received):
    # given: two messages the worker never picked up
    with time_machine.travel(NOW, tick=False):
        outbox_enqueue(topic=TOPIC, payload={"n": 1})
        outbox_enqueue(topic=TOPIC, payload={"n": 2})
        # when
        delivered = outbox_sweep()
    # then
    assert delivered == 2
    assert received == [{"n": 1}, {"n": 2}]
    assert not OutboxMessage.objects.filter(delivered_at=None).exists()


def test_the_sweep_retries_a_failed_message_only_after_its_backoff(flaky):
    # given: a failure at NOW, due again a minute later
    with time_machine.travel(NOW, tick=False) as traveller:
        message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
        outbox_deliver(message_id=message.pk)
        flaky.working = True
        # when
        traveller.move_to(NOW + timedelta(seconds=59))
        too_soon = outbox_sweep()
        traveller.move_to(NOW + timedelta(seconds=60))
        in_time = outbox_sweep()
    # then
    assert (too_soon, in_time) == (0, 1)
    assert flaky.calls == 2


def test_the_sweep_takes_back_a_claim_a_crashed_worker_left(received):
    # given: one worker claimed a message and died; another claimed one just now
    with time_machine.travel(NOW, tick=False):
        abandoned = outbox_enqueue(topic=TOPIC, payload={"n": "abandoned"})
        busy = outbox_enqueue(topic=TOPIC, payload={"n": "busy"})
    OutboxMessage.objects.filter(pk=abandoned.pk).update(claimed_at=NOW)
    later = NOW + CLAIM_TIMEOUT + timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=busy.pk).update(claimed_at=later - timedelta(minutes=1))
    # when
    with time_machine.travel(later, tick=False):
        delivered = outbox_sweep()
    # then
    assert delivered == 1
    assert received == [{"n": "abandoned"}]
    busy.refresh_from_db()
    assert busy.delivered_at is None
    assert busy.claimed_at == later - timedelta(minutes=1)


def test_the_sweep_never_delivers_a_message_twice(received):
    # given
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    outbox_deliver(message_id=message.pk)
    # when
    delivered = outbox_sweep()
    # then
    assert delivered == 0
    assert received == [{"n": 1}]


def test_the_sweep_takes_at_most_its_limit(received):
    # given
    for n in range(5):
        outbox_enqueue(topic=TOPIC, payload={"n": n})
    # when
    delivered = outbox_sweep(limit=3)
    # then
    assert delivered == 3
    assert received == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_the_sweep_command_delivers_and_says_how_many(received, capsys):
    # given
    outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # when
    call_command("outbox_sweep")
    # then
    assert capsys.readouterr().out.strip() == "delivered 1"
    assert received == [{"n": 1}]
