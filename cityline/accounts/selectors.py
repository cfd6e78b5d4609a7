import time

from cityline.accounts.models import ApiKey

# A busy Open311 client sends its key hundreds of times a second: each web worker remembers the
# answer briefly. A key revoked in this worker stops at once (see apps.py); in other workers,
# within KEY_CACHE_SECONDS.
KEY_CACHE_SECONDS = 5.0

_recent: dict[str, tuple[float, ApiKey | None]] = {}


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    if not raw_key:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw_key), revoked_at__isnull=True).first()


def api_key_get_active_cached(*, raw_key: str) -> ApiKey | None:
    """The same answer as api_key_get_active, at most KEY_CACHE_SECONDS old; unknown keys are
    never remembered, so a guessing client costs a query each time, not a cache entry."""
    now = time.monotonic()
    hit = _recent.get(raw_key)
    if hit is not None and hit[0] > now:
        return hit[1]
    api_key = api_key_get_active(raw_key=raw_key)
    if api_key is None:
        _recent.pop(raw_key, None)
    else:
        _recent[raw_key] = (now + KEY_CACHE_SECONDS, api_key)
    return api_key


def api_key_cache_clear(**_signal_arguments: object) -> None:
    _recent.clear()
