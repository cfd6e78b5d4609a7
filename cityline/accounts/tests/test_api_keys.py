import pytest

from cityline.accounts import services
from cityline.accounts.models import ApiKey
from cityline.accounts.selectors import api_key_get_active
from cityline.accounts.services import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


def test_a_new_key_is_stored_only_as_its_hash():
    # when
    api_key, raw_key = api_key_create(name="FixMyStreet", rate_limit=120)
    # then
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert len(raw_key) >= 32
    assert stored.key_hash == ApiKey.hash_key(raw_key) != raw_key
    assert stored.key_prefix == raw_key[:8]
    assert all(raw_key not in str(value) for value in stored.__dict__.values())
    assert (stored.name, stored.rate_limit, stored.is_active) == ("FixMyStreet", 120, True)


def test_the_raw_key_finds_its_active_row():
    # given
    api_key, raw_key = api_key_create(name="FixMyStreet")
    api_key_create(name="Another client")
    # when
    found = api_key_get_active(raw_key=raw_key)
    # then
    assert found == api_key


@pytest.mark.parametrize("attempt", ["", "not-a-key"])
def test_anything_but_an_issued_key_finds_nothing(attempt):
    # given
    api_key_create(name="FixMyStreet")
    # then
    assert api_key_get_active(raw_key=attempt) is None


def test_the_hash_or_prefix_alone_is_not_a_key():
    # given
    api_key, _ = api_key_create(name="FixMyStreet")
    # then
    assert api_key_get_active(raw_key=api_key.key_hash) is None
    assert api_key_get_active(raw_key=api_key.key_prefix) is None


def test_a_revoked_key_no_longer_authenticates():
    # given
    api_key, raw_key = api_key_create(name="FixMyStreet")
    # when
    api_key_revoke(api_key=api_key)
    # then
    assert api_key_get_active(raw_key=raw_key) is None
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert not api_key.is_active


def test_revoking_twice_keeps_the_first_revocation_time():
    # given
    api_key, _ = api_key_create(name="FixMyStreet")
    api_key_revoke(api_key=api_key)
    first = ApiKey.objects.get(pk=api_key.pk).revoked_at
    # when
    api_key_revoke(api_key=ApiKey.objects.get(pk=api_key.pk))
    # then
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at == first


def test_two_keys_are_never_the_same():
    # when
    keys = {api_key_create(name=f"client {n}")[1] for n in range(10)}
    # then
    assert len(keys) == 10


def test_a_key_never_starts_with_a_dash_which_a_command_line_would_take_for_an_option(
    monkeypatch,
):
    # given: the random source first draws a key with a leading dash
    draws = iter(["-Mh2cQ0dX9vWcQe1mH3xPb7Zk2Lr5Tn8", "Mh2cQ0dX9vWcQe1mH3xPb7Zk2Lr5Tn8-"])
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda nbytes: next(draws))
    # when
    api_key, raw_key = api_key_create(name="FixMyStreet")
    # then
    assert raw_key == "Mh2cQ0dX9vWcQe1mH3xPb7Zk2Lr5Tn8-"
    assert api_key.key_prefix == "Mh2cQ0dX"
