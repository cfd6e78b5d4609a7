"""The transactional outbox: side effects are rows written with the change, delivered after commit.

Handlers register per topic. Delivery claims a message with a conditional UPDATE (the same on SQLite
and PostgreSQL), runs the handler, and marks it delivered; a failure releases the claim and retries
later with backoff, so a crash loses nothing and a message is acted on once in effect.
"""

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from cityline.core import clock
from cityline.core.inserts.instances import instance_insert
from cityline.core.models import OutboxMessage

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, list[Handler]] = {}

MAX_ATTEMPTS = 8
CLAIM_TIMEOUT = timedelta(minutes=10)


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


def _deliver(message: OutboxMessage, now: datetime) -> bool:
    """Run the topic's handlers on a message this worker has claimed; on failure, release it to be
    retried after a backoff, keeping the error for the admin."""
    try:
        for handler in _handlers.get(message.topic, []):
            handler(message.payload)
    except Exception as exc:  # a handler's failure must not lose the message
        logger.exception("outbox message %s failed", message.pk)
        backoff = timedelta(seconds=30 * 2 ** min(message.attempts, 10))
        OutboxMessage.objects.filter(pk=message.pk).update(
            claimed_at=None,
            claimed_by="",
            last_error=repr(exc)[:2000],
            # After MAX_ATTEMPTS the message waits for an operator (visible in the admin).
            available_at=now
            + (backoff if message.attempts < MAX_ATTEMPTS else timedelta(days=3650)),
        )
        return False
    return True


def outbox_deliver(*, message_id: int) -> bool:
    """Deliver one message if nobody else holds it; return whether this call delivered it."""
    now = clock.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, claimed_at__isnull=True, delivered_at__isnull=True
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    if not _deliver(OutboxMessage.objects.get(pk=message_id), now):
        return False
    OutboxMessage.objects.filter(pk=message_id).update(delivered_at=clock.now())
    return True


def outbox_sweep(*, limit: int = 500) -> int:
    """Deliver what is due in one batch: new messages, retries after backoff, and claims abandoned
    by a crashed worker. The batch is claimed with one conditional UPDATE under a token of its own,
    so concurrent sweeps share out the messages and none is delivered twice."""
    now = clock.now()
    OutboxMessage.objects.filter(
        delivered_at__isnull=True, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(claimed_at=None, claimed_by="")
    due = list(
        OutboxMessage.objects.filter(
            delivered_at__isnull=True, claimed_at__isnull=True, available_at__lte=now
        ).values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    token = uuid.uuid4().hex
    OutboxMessage.objects.filter(
        pk__in=due, claimed_at__isnull=True, delivered_at__isnull=True
    ).update(claimed_at=now, claimed_by=token, attempts=F("attempts") + 1)
    delivered = [
        message.pk
        for message in OutboxMessage.objects.filter(claimed_by=token)
        if _deliver(message, now)
    ]
    OutboxMessage.objects.filter(pk__in=delivered).update(delivered_at=clock.now())
    return len(delivered)
