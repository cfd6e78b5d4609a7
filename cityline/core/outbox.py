"""The transactional outbox: side effects are rows written with the change, delivered after commit.

Handlers register per topic. Delivery claims a message with a conditional UPDATE (the same on SQLite
and PostgreSQL), runs the handler, and marks it delivered; a failure releases the claim and retries
later with backoff, so a crash loses nothing and a message is acted on once in effect.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F

from cityline.core import clock
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
    """Write a message in the caller's transaction; the worker is woken once it commits."""
    message = OutboxMessage.objects.create(topic=topic, payload=payload, available_at=clock.now())
    from cityline.core.tasks import outbox_deliver_task

    transaction.on_commit(lambda: outbox_deliver_task.enqueue(message.pk))
    return message


def outbox_deliver(*, message_id: int) -> bool:
    """Deliver one message if nobody else holds it; return whether this call delivered it."""
    now = clock.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, claimed_at__isnull=True, delivered_at__isnull=True
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        for handler in _handlers.get(message.topic, []):
            handler(message.payload)
    except Exception as exc:  # a handler's failure must not lose the message
        logger.exception("outbox message %s failed", message_id)
        backoff = timedelta(seconds=30 * 2 ** min(message.attempts, 10))
        OutboxMessage.objects.filter(pk=message_id).update(
            claimed_at=None,
            last_error=repr(exc)[:2000],
            # After MAX_ATTEMPTS the message waits for an operator (visible in the admin).
            available_at=now
            + (backoff if message.attempts < MAX_ATTEMPTS else timedelta(days=3650)),
        )
        return False
    OutboxMessage.objects.filter(pk=message_id).update(delivered_at=clock.now())
    return True


def outbox_sweep(*, limit: int = 500) -> int:
    """Deliver what is due: retries after backoff, and claims abandoned by a crashed worker."""
    now = clock.now()
    OutboxMessage.objects.filter(
        delivered_at__isnull=True, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(claimed_at=None)
    due = OutboxMessage.objects.filter(
        delivered_at__isnull=True, claimed_at__isnull=True, available_at__lte=now
    ).values_list("pk", flat=True)[:limit]
    return sum(outbox_deliver(message_id=pk) for pk in list(due))
