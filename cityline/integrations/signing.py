"""Work orders' signatures: HMAC-SHA256 over the timestamp and the body (docs/integrations.md).

The receiver recomputes `HMAC(secret, timestamp + "." + body)` over the bytes it received and
compares in constant time; the timestamp lets it refuse a replayed old delivery.
"""

import hashlib
import hmac
import json
from typing import Any

SCHEME = "sha256"


def work_order_bytes(body: dict[str, Any]) -> bytes:
    """The exact bytes sent: compact and key-sorted, so every retry signs the same input."""
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Cityline-Signature` header's value."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"{SCHEME}={digest.hexdigest()}"


def signature_valid(
    *, secret: str, timestamp: str, body: bytes, header: str, now: float, tolerance: float = 300
) -> bool:
    """What a receiver checks: the signature matches, and the timestamp is recent."""
    try:
        sent = float(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), header)
