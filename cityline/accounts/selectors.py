from cityline.accounts.models import ApiKey
from cityline.core.memo import SharedMemo


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    if not raw_key:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw_key), revoked_at__isnull=True).first()


# A busy Open311 client sends its key hundreds of times a second: each web worker keeps the keys
# it looked up until any key is saved or deleted in any process (the signals are connected in
# `apps`), so a revocation takes effect at once everywhere.
_active_keys: SharedMemo[str, ApiKey] = SharedMemo(
    name="accounts-api-keys", loader=lambda raw_key: api_key_get_active(raw_key=raw_key)
)


def api_key_get_active_remembered(*, raw_key: str) -> ApiKey | None:
    """The same answer as `api_key_get_active`, from this worker's copy while no key changed;
    unknown keys are never remembered, so a guessing client costs a query each time."""
    return _active_keys.get(raw_key)


api_key_forget = _active_keys.forget
