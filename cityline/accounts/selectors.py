from cityline.accounts.models import ApiKey


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    if not raw_key:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw_key), revoked_at__isnull=True).first()
