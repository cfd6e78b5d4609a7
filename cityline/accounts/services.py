import secrets

from cityline.accounts.models import ApiKey
from cityline.core import clock


def api_key_create(*, name: str, rate_limit: int = 60) -> tuple[ApiKey, str]:
    """Issue a key; return the row and the raw key, which is never stored or shown again."""
    raw_key = secrets.token_urlsafe(24)
    while raw_key.startswith("-"):  # it would read as an option on the `apikey` command line
        raw_key = secrets.token_urlsafe(24)
    api_key = ApiKey.objects.create(
        name=name, key_hash=ApiKey.hash_key(raw_key), key_prefix=raw_key[:8], rate_limit=rate_limit
    )
    return api_key, raw_key


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = clock.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])
    return api_key
