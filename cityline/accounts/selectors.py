from cityline.accounts.models import ApiKey


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    """The key's row unless it is revoked. Read from the database on every request, one lookup
    by the unique hash: a revocation takes effect at once in every process, and no per-process
    copy could learn of it that fast for less."""
    if not raw_key:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw_key), revoked_at__isnull=True).first()
