import logging
import os
import signal
import smtplib
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from cityline.core import outbox
from cityline.core.models import OutboxMessage
from cityline.core.outbox import (
    MAX_ATTEMPTS,
    outbox_enqueue,
    outbox_handler,
    outbox_lease,
    outbox_stop_on_signals,
    outbox_sweep,
)
from cityline.core.tests.conftest import TOPIC

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def handled():
    """Registers a handler for the test topic that calls the function given, and removes it."""
    registered = []

    def register(function):
        outbox_handler(TOPIC)(function)
        registered.append(function)

    yield register
    for function in registered:
        outbox._handlers[TOPIC].remove(function)


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
    assert list(OutboxMessage.objects.values_list("delivered_at", "attempts")) == [(NOW, 1)] * 2


def test_the_sweep_never_delivers_a_message_twice(received):
    # given
    outbox_enqueue(topic=TOPIC, payload={"n": 1})
    outbox_sweep()
    # when
    delivered = outbox_sweep()
    # then
    assert delivered == 0
    assert received == [{"n": 1}]


def test_every_handler_of_the_topic_runs(received, handled):
    # given
    also: list[dict] = []
    handled(lambda message: also.append(message.payload))
    outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # when
    outbox_sweep()
    # then
    assert received == also == [{"n": 1}]


def test_a_message_nobody_handles_is_marked_delivered():
    # given
    message = outbox_enqueue(topic="nobody.listens", payload={})
    # when
    delivered = outbox_sweep()
    # then
    assert delivered == 1
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_each_message_is_marked_delivered_before_the_next_is_claimed(handled):
    # given: a handler that looks at the outbox while it works
    seen: list[tuple[int, int]] = []

    def look(message) -> None:
        pending = OutboxMessage.objects.filter(delivered_at=None)
        seen.append((pending.count(), pending.exclude(claimed_at=None).count()))

    handled(look)
    for n in range(3):
        outbox_enqueue(topic=TOPIC, payload={"n": n})
    # when
    outbox_sweep()
    # then: the sweep held one message at a time, and each was done before the next began
    assert seen == [(3, 1), (2, 1), (1, 1)]


def test_the_sweep_takes_at_most_its_limit(received):
    # given
    for n in range(5):
        outbox_enqueue(topic=TOPIC, payload={"n": n})
    # when
    delivered = outbox_sweep(limit=3)
    # then
    assert delivered == 3
    assert received == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert OutboxMessage.objects.filter(claimed_at=None, delivered_at=None).count() == 2


def test_a_failing_handler_releases_the_message_records_the_error_and_backs_off(flaky):
    # given
    with time_machine.travel(NOW, tick=False):
        message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
        # when
        delivered = outbox_sweep()
    # then
    assert delivered == 0
    message.refresh_from_db()
    assert (message.claimed_at, message.delivered_at, message.attempts) == (None, None, 1)
    assert "ConnectionError('mail server unreachable')" in message.last_error
    assert message.available_at == NOW + timedelta(seconds=60)


def test_each_failure_doubles_the_wait(flaky):
    # given: the message failed once already
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    outbox_sweep()
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=NOW)
    # when
    with time_machine.travel(NOW, tick=False):
        outbox_sweep()
    # then
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.available_at == NOW + timedelta(seconds=120)


def test_after_the_last_attempt_a_message_waits_for_an_operator(flaky):
    # given
    with time_machine.travel(NOW, tick=False):
        message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
        # when
        outbox_sweep()
    # then
    message.refresh_from_db()
    assert message.attempts == MAX_ATTEMPTS
    assert message.available_at >= NOW + timedelta(days=3650)
    assert message.delivered_at is None


def test_the_sweep_retries_a_failed_message_only_after_its_backoff(flaky):
    # given: a failure at NOW, due again a minute later
    with time_machine.travel(NOW, tick=False) as traveller:
        message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
        outbox_sweep()
        flaky.working = True
        # when
        traveller.move_to(NOW + timedelta(seconds=59))
        too_soon = outbox_sweep()
        traveller.move_to(NOW + timedelta(seconds=60))
        in_time = outbox_sweep()
    # then
    assert (too_soon, in_time) == (0, 1)
    assert flaky.calls == 2
    message.refresh_from_db()
    assert (message.attempts, message.delivered_at) == (2, NOW + timedelta(seconds=60))


def test_the_sweep_takes_back_a_message_whose_lease_ran_out(received):
    # given: one worker claimed a message and died; another claimed one just now
    with time_machine.travel(NOW, tick=False):
        abandoned = outbox_enqueue(topic=TOPIC, payload={"n": "abandoned"})
        busy = outbox_enqueue(topic=TOPIC, payload={"n": "busy"})
    OutboxMessage.objects.filter(pk=abandoned.pk).update(claimed_at=NOW, claimed_by="dead")
    later = NOW + outbox_lease() + timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=busy.pk).update(
        claimed_at=later - timedelta(seconds=2), claimed_by="alive"
    )
    # when
    with time_machine.travel(later, tick=False):
        delivered = outbox_sweep()
    # then
    assert delivered == 1
    assert received == [{"n": "abandoned"}]
    busy.refresh_from_db()
    assert busy.delivered_at is None
    assert (busy.claimed_at, busy.claimed_by) == (later - timedelta(seconds=2), "alive")


def test_the_lease_is_set_in_the_settings(settings):
    # given
    settings.CITYLINE_OUTBOX_LEASE_SECONDS = 15
    # when / then
    assert outbox_lease() == timedelta(seconds=15)


def test_a_sweep_asked_to_stop_finishes_the_message_in_hand_and_claims_no_more(handled):
    # given: the stop comes while the first message is being delivered
    with outbox_stop_on_signals() as stop:
        handled(lambda message: stop.set())
        for n in range(3):
            outbox_enqueue(topic=TOPIC, payload={"n": n})
        # when
        delivered = outbox_sweep(stop=stop)
    # then
    assert delivered == 1
    assert OutboxMessage.objects.filter(claimed_at=None, delivered_at=None).count() == 2


def test_a_sweep_interrupted_inside_a_handler_hands_the_message_back_at_once(handled):
    # given
    def interrupted(message) -> None:
        raise KeyboardInterrupt

    handled(interrupted)
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # when
    with pytest.raises(KeyboardInterrupt):
        outbox_sweep()
    # then: free for the next sweep now, not after the lease
    message.refresh_from_db()
    assert (message.claimed_at, message.claimed_by, message.delivered_at) == (None, "", None)
    assert message.attempts == 1


def test_a_refusal_is_recorded_and_logged_without_the_address(handled, caplog):
    # given
    def refused(message) -> None:
        raise smtplib.SMTPRecipientsRefused({"ada@example.org": (550, b"<ada@example.org>: no")})

    handled(refused)
    message = outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # when
    with caplog.at_level(logging.ERROR, logger="cityline.core.outbox"):
        outbox_sweep()
    # then
    message.refresh_from_db()
    assert "SMTPRecipientsRefused" in message.last_error
    assert "example.org" not in message.last_error
    assert f"outbox message {message.pk} ({TOPIC}) failed" in caplog.text
    assert "SMTPRecipientsRefused" in caplog.text
    assert "example.org" not in caplog.text


def test_a_stop_signal_sets_the_event_and_still_reaches_the_handler_installed_before():
    # given: a handler of the process's own, as the task worker installs
    earlier: list[int] = []

    def graceful_shutdown(number, frame) -> None:
        earlier.append(number)

    original = signal.signal(signal.SIGTERM, graceful_shutdown)
    try:
        # when
        with outbox_stop_on_signals() as stop:
            os.kill(os.getpid(), signal.SIGTERM)
        after = signal.getsignal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, original)
    # then
    assert stop.is_set()
    assert earlier == [signal.SIGTERM]
    assert after is graceful_shutdown


def test_the_sweep_command_delivers_and_says_how_many(received, capsys):
    # given
    outbox_enqueue(topic=TOPIC, payload={"n": 1})
    # when
    call_command("outbox_sweep")
    # then
    assert capsys.readouterr().out.strip() == "delivered 1"
    assert received == [{"n": 1}]


def test_the_sweeping_command_stops_cleanly_on_sigterm_after_the_message_in_hand(handled, capsys):
    # given: the worker is told to stop while it delivers the first of three messages
    delivered: list[int] = []

    def deliver_then_get_stopped(message) -> None:
        delivered.append(message.payload["n"])
        os.kill(os.getpid(), signal.SIGTERM)

    handled(deliver_then_get_stopped)
    for n in range(3):
        outbox_enqueue(topic=TOPIC, payload={"n": n})
    # when
    call_command("outbox_sweep", every=60)
    # then: it returned instead of sleeping, holding no claim
    assert delivered == [0]
    assert capsys.readouterr().out.strip() == "delivered 1"
    assert not OutboxMessage.objects.filter(delivered_at=None).exclude(claimed_at=None).exists()


def test_a_sweep_in_another_thread_leaves_the_process_signals_alone():
    # given: a sweep run by a thread (a threaded web worker running the task at once)
    seen: list[object] = []

    def sweep_in_thread() -> None:
        with outbox_stop_on_signals() as stop:
            seen.append(signal.getsignal(signal.SIGTERM))
            seen.append(stop.is_set())

    before = signal.getsignal(signal.SIGTERM)
    # when
    thread = threading.Thread(target=sweep_in_thread)
    thread.start()
    thread.join(timeout=30)
    # then
    assert seen == [before, False]


def test_stop_signals_landing_while_the_event_lock_is_held_neither_hang_nor_are_lost():
    # given: a thread waiting on the event, as a sweep between two polls does
    with outbox_stop_on_signals() as stop:
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        woken: list[bool] = []
        waiter = threading.Thread(target=lambda: woken.append(threading.Event.wait(stop, 10)))
        waiter.start()
        # when: two signals land while the main thread holds the event's lock, as it does
        # inside `wait` and `set`
        with stop._cond:
            handler(signal.SIGTERM, None)
            handler(signal.SIGTERM, None)
            seen_at_once = stop.is_set()
        waiter.join(timeout=10)
    # then: the stop is seen at once, and the waiter is woken once the lock is free
    assert seen_at_once
    assert woken == [True]
