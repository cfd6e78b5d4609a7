from cityline.accounts.models import ApiKey
from cityline.core.memo import RecentAnswers

# A busy Open311 client sends its key hundreds of times a second: each web worker remembers the
# answer briefly. A key revoked in this worker stops at once (see apps.py); in other workers,
# within KEY_CACHE_SECONDS.
KEY_CACHE_SECONDS = 5.0


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    if not raw_key:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw_key), revoked_at__isnull=True).first()


_recent_keys: RecentAnswers[str, ApiKey] = RecentAnswers(
    seconds=KEY_CACHE_SECONDS, loader=lambda raw_key: api_key_get_active(raw_key=raw_key)
)


def api_key_get_active_cached(*, raw_key: str) -> ApiKey | None:
    """The same answer as api_key_get_active, at most KEY_CACHE_SECONDS old; unknown keys are
    never remembered, so a guessing client costs a query each time, not a cache entry."""
    return _recent_keys.get(raw_key)


api_key_cache_clear = _recent_keys.clear
