"""The transactional outbox: side effects are rows written with the change, delivered after commit.

Handlers register per topic and are given the message. A sweep claims one message at a time with a
conditional UPDATE (the same on SQLite and PostgreSQL) that stamps a lease, runs the handlers, and
marks that message delivered before it claims the next. So:

- a crash (even `kill -9`) leaves at most the one message in hand claimed; it is taken again when
  its lease (`CITYLINE_OUTBOX_LEASE_SECONDS`) runs out, and every other message is free at once;
- a clean stop (SIGTERM, SIGINT) ends the sweep after the message in hand, and a sweep interrupted
  inside a handler hands its message back before it exits;
- a failure releases the message to be retried after a backoff, keeping a description of the error
  (with e-mail addresses masked) for the admin.

Delivery is at least once: a handler may run again for a message whose previous run died before
the message was marked delivered. Each handler makes its effect idempotent (the notifications
app records every e-mail before and after it hands it to the mail server; see docs/operations.md
for the guarantee that gives).
"""

import logging
import re
import signal
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Q

from cityline.core import clock
from cityline.core.inserts.instances import (
    PreparedInstances,
    instance_insert,
    instances_prepare,
    prepared_instances_insert,
    prepared_position,
)
from cityline.core.models import OutboxMessage

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]
_handlers: dict[str, list[Handler]] = {}

_PAYLOAD = OutboxMessage._meta.get_field("payload")

MAX_ATTEMPTS = 8
# Due messages read per query; each is then claimed on its own, so a crash holds at most one.
_CANDIDATES = 50
_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")


def outbox_handler(topic: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _handlers.setdefault(topic, []).append(handler)
        return handler

    return register


def outbox_enqueue(*, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Write a message in the caller's transaction; a worker is woken once it commits."""
    message = OutboxMessage(topic=topic, payload=payload, available_at=clock.now())
    instance_insert(message)
    transaction.on_commit(_wake_worker)
    return message


@dataclass(frozen=True)
class PreparedOutboxMessage:
    """A message's INSERT made ready before its transaction, all but its payload."""

    insert: PreparedInstances
    payload_position: int


def outbox_prepare(*, topic: str) -> PreparedOutboxMessage:
    """Prepare a message of `topic` now, to write with `outbox_enqueue_prepared` in a transaction
    yet to begin, whose payload may name a row that transaction stores: on SQLite, what runs
    inside a transaction holds up every other writer."""
    return PreparedOutboxMessage(
        insert=instances_prepare(
            [OutboxMessage(topic=topic, payload={}, available_at=clock.now())]
        ),
        payload_position=prepared_position(OutboxMessage, "payload"),
    )


def outbox_enqueue_prepared(prepared: PreparedOutboxMessage, *, payload: dict[str, Any]) -> None:
    """`outbox_enqueue` of a prepared message, with its payload."""
    db = connections[DEFAULT_DB_ALIAS]
    [row] = prepared.insert.rows
    row[prepared.payload_position] = _PAYLOAD.get_db_prep_save(payload, db)
    prepared_instances_insert(prepared.insert)
    transaction.on_commit(_wake_worker)


def outbox_enqueue_many(*, topic: str, payloads: list[dict[str, Any]]) -> None:
    """`outbox_enqueue` for many messages of one topic, in one INSERT."""
    if not payloads:
        return
    now = clock.now()
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(topic=topic, payload=payload, available_at=now) for payload in payloads]
    )
    transaction.on_commit(_wake_worker)


_last_wake = float("-inf")


def _wake_worker() -> None:
    """Ask the task worker for a sweep, at most once per CITYLINE_OUTBOX_WAKE_SECONDS per process.

    One sweep delivers every message due, so under load a web worker enqueues a task a second,
    not one per request; a message committed just after a sweep waits for the next wake or for
    the periodic sweep (script/worker).
    """
    global _last_wake
    now = time.monotonic()
    if now - _last_wake < settings.CITYLINE_OUTBOX_WAKE_SECONDS:
        return
    _last_wake = now
    from cityline.core.tasks import outbox_sweep_task

    outbox_sweep_task.enqueue()


def outbox_lease() -> timedelta:
    """How long a claim holds a message: longer than a handler's slowest run (an SMTP exchange
    gives up after EMAIL_TIMEOUT per step), short enough that a crash delays little."""
    return timedelta(seconds=settings.CITYLINE_OUTBOX_LEASE_SECONDS)


def mask_addresses(text: str) -> str:
    """The text with every e-mail address replaced: errors go to logs and the admin, addresses
    are personal data."""
    return _ADDRESS.sub("<address>", text)


def _claim_next(token: str, candidates: list[OutboxMessage]) -> OutboxMessage | None:
    """Claim the first candidate still free (unclaimed, or its lease over) and due; None when
    every candidate was taken by another worker meanwhile."""
    while candidates:
        message = candidates.pop(0)
        now = clock.now()
        claimed = (
            OutboxMessage.objects.filter(
                pk=message.pk, delivered_at__isnull=True, available_at__lte=now
            )
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - outbox_lease()))
            .update(claimed_at=now, claimed_by=token, attempts=F("attempts") + 1)
        )
        if claimed == 1:
            message.claimed_at, message.claimed_by = now, token
            message.attempts += 1
            return message
    return None


def _due(limit: int) -> list[OutboxMessage]:
    now = clock.now()
    return list(
        OutboxMessage.objects.filter(delivered_at__isnull=True, available_at__lte=now)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - outbox_lease()))
        .order_by("available_at", "id")
        .only("topic", "payload", "created_at", "attempts")[:limit]
    )


def _handle(message: OutboxMessage) -> bool:
    """Run the topic's handlers on a message this sweep has claimed; on failure, release it to be
    retried after a backoff."""
    held = OutboxMessage.objects.filter(pk=message.pk, claimed_by=message.claimed_by)
    try:
        for handler in _handlers.get(message.topic, []):
            handler(message)
    except Exception as exc:  # a handler's failure must not lose the message
        error = mask_addresses("".join(traceback.format_exception(exc)))
        # Ids and topics only: the handler's data may be personal.
        logger.error(
            "outbox message %s (%s) failed on attempt %s:\n%s",
            message.pk,
            message.topic,
            message.attempts,
            error,
        )
        backoff = timedelta(seconds=30 * 2 ** min(message.attempts, 10))
        held.update(
            claimed_at=None,
            claimed_by="",
            last_error=mask_addresses(repr(exc))[:2000],
            # After MAX_ATTEMPTS the message waits for an operator (visible in the admin).
            available_at=clock.now()
            + (backoff if message.attempts < MAX_ATTEMPTS else timedelta(days=3650)),
        )
        return False
    except BaseException:
        # Stopped inside a handler (a second Ctrl-C, the task worker's exit): hand the message
        # back now rather than after the lease.
        held.update(claimed_at=None, claimed_by="")
        raise
    return True


def _mark_delivered(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk, claimed_by=message.claimed_by).update(
        delivered_at=clock.now()
    )


def outbox_sweep(*, limit: int = 500, stop: threading.Event | None = None) -> int:
    """Deliver what is due, one message at a time: new messages, retries after their backoff, and
    messages whose lease ran out in a crashed worker. Each is claimed under this sweep's token and
    marked delivered once its handlers return, in the same transaction that claims the next
    message (one write instead of two), so concurrent sweeps share out the messages and a crash
    holds at most one. Stops after `limit` claims, when nothing is due, or once `stop` is set
    (after the message in hand). Returns how many were delivered."""
    token = uuid.uuid4().hex
    claims = delivered = 0
    candidates: list[OutboxMessage] = []
    handled: OutboxMessage | None = None
    try:
        while claims < limit and not (stop and stop.is_set()):
            if not candidates:
                candidates = _due(min(_CANDIDATES, limit - claims))
                if not candidates:
                    break
            with transaction.atomic():
                if handled is not None:
                    _mark_delivered(handled)
                    delivered, handled = delivered + 1, None
                message = _claim_next(token, candidates)
            if message is None:
                continue
            claims += 1
            if _handle(message):
                handled = message
    finally:
        if handled is not None:
            _mark_delivered(handled)
            delivered += 1
    return delivered


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _StopEvent(threading.Event):
    """An event a signal handler can set. The handler runs in the main thread between two
    bytecodes, possibly while that thread holds the event's own lock (inside `wait` or `set`), so
    it must not take the lock: it raises a flag that `is_set` reads at once, and a short thread
    wakes any `wait` once the lock is free."""

    def __init__(self) -> None:
        super().__init__()
        self._asked = False

    def ask_from_signal(self) -> None:
        if not self._asked:
            self._asked = True
            threading.Thread(target=self.set, name="outbox-stop", daemon=True).start()

    def is_set(self) -> bool:
        return self._asked or super().is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._asked or super().wait(timeout)


@contextmanager
def outbox_stop_on_signals() -> Iterator[threading.Event]:
    """An event set when the process is asked to stop (SIGTERM, SIGINT) while the block runs, for
    `outbox_sweep(stop=…)`. A handler installed before (the task worker's graceful shutdown) still
    runs; Python's default ones, which would end the process mid-message, do not."""
    stop = _StopEvent()
    previous = {number: signal.getsignal(number) for number in _STOP_SIGNALS}
    # Signals reach the main thread only, and a handler installed outside Python (None) could not
    # be put back.
    if threading.current_thread() is not threading.main_thread() or None in previous.values():
        yield stop
        return

    def on_signal(number: int, frame: FrameType | None) -> None:
        stop.ask_from_signal()
        earlier = previous[signal.Signals(number)]
        if callable(earlier) and earlier is not signal.default_int_handler:
            earlier(number, frame)

    for number in _STOP_SIGNALS:
        signal.signal(number, on_signal)
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
