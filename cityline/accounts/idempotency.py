"""Idempotency keys: a POST sent again with the key of an earlier one gets the earlier answer.

A client whose answer was cut off cannot tell whether its request was made. Sent with an
`Idempotency-Key`, the POST can be retried safely: the first success is remembered for `KEEP`
per API key (the native API takes no API key, so its keys share one space), and a retry with the
same key and the same input is answered with it. The same key with other input is refused.

The key's row and whatever the first POST writes commit in one transaction, and a unique
constraint holds one row per key: a retry racing the first POST waits for it to commit and is
then answered from its row, so the two never make two requests. A failed POST leaves no row, so
its retry is tried afresh.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from cityline.accounts.models import ApiKey, IdempotencyKey
from cityline.core import clock
from cityline.core.errors import DomainError
from cityline.core.models import max_length_of

KEEP = timedelta(days=1)
KEY_MAX_LENGTH = max_length_of(IdempotencyKey, "key")


class IdempotencyKeyReused(DomainError):
    """The key was first sent with other input: the client reuses keys, or mixes up requests."""

    code = "idempotency_key_reused"


def idempotency_key_answer(
    *, api_key: ApiKey | None, key: str, fingerprint: str, answer: Callable[[], Any]
) -> tuple[Any, bool]:
    """The answer to a POST sent with `key`, and whether it is a replay.

    When the key was used in the last `KEEP` with the same `fingerprint`, that use's answer is
    given again. Otherwise `answer()` makes the request and returns what to answer, as JSON-able
    data, which is remembered; when it raises, nothing is remembered and nothing it wrote stays.
    """
    with transaction.atomic():
        IdempotencyKey.objects.filter(
            api_key=api_key, key=key, created_at__lt=clock.now() - KEEP
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    api_key=api_key, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            earlier = IdempotencyKey.objects.get(api_key=api_key, key=key)
            if earlier.fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    "this key was sent with a different request in the last day; "
                    "send a new key for a new request",
                    field="Idempotency-Key",
                ) from None
            return earlier.answer, True
        record.answer = answer()
        record.save(update_fields=["answer", "updated_at"])
        return record.answer, False


def idempotency_key_sweep(*, now: datetime | None = None) -> int:
    """Forget the keys older than `KEEP`; return how many."""
    moment = clock.now() if now is None else now
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=moment - KEEP).delete()
    return deleted
