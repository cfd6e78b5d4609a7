"""Checking a webhook's shared-secret signature: HMAC-SHA256 over a timestamp and the payload,
the timestamp within the allowed age, so a captured delivery cannot be replayed later (and a
replay within the window is refused by its token or message id, kept in `WebhookReceipt`)."""

import hashlib
import hmac
from datetime import datetime

from django.conf import settings

from cityline.core import clock
from cityline.core.errors import Forbidden


def signature_compute(*, secret: str, signed: bytes) -> str:
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_check(
    *, secret: str, timestamp: str, signed: bytes, signature: str, now: datetime | None = None
) -> None:
    """Raise `Forbidden` naming what is wrong: no secret configured, a timestamp that is not a
    number or outside the window, or a signature that does not match."""
    if not secret:
        raise Forbidden("this webhook is not configured", field="signature")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Forbidden("the timestamp is not a number of seconds", field="timestamp") from None
    age = (now or clock.now()).timestamp() - sent
    if abs(age) > settings.CITYLINE_WEBHOOK_MAX_AGE_SECONDS:
        raise Forbidden("the timestamp is outside the allowed window", field="timestamp")
    expected = signature_compute(secret=secret, signed=signed)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise Forbidden("the signature does not match", field="signature")
