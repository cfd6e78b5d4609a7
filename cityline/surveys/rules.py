"""Who is asked: a deterministic sample, so a retried or replayed message decides the same."""

import hashlib

from cityline.core.phones import phone_digits


def survey_sampled(*, kind: str, key: int, percent: int) -> bool:
    """Whether the contact or request numbered `key` falls in the `percent` share asked. The
    draw is a hash of the kind and the key: even over consecutive keys, and the same every
    time it is asked."""
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"survey:{kind}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent


def recipient_digest(*, email: str = "", phone: str = "") -> str:
    """What an opt-out keeps of an address or number: a digest, never the address. A number is
    taken by its digits, however it was written."""
    value = f"e:{email.strip().lower()}" if email else f"p:{phone_digits(phone)}"
    return hashlib.sha256(value.encode()).hexdigest()
