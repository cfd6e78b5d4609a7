import pytest

from cityline.accounts.models import ApiKey
from cityline.accounts.selectors import api_key_get_active_remembered
from cityline.accounts.services import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


def test_a_known_key_is_answered_from_memory_the_second_time(django_assert_num_queries):
    # given
    api_key, raw_key = api_key_create(name="FixMyStreet")
    api_key_get_active_remembered(raw_key=raw_key)
    # when
    with django_assert_num_queries(0):
        again = api_key_get_active_remembered(raw_key=raw_key)
    # then
    assert again == api_key


def test_a_revoked_key_stops_working_at_once():
    # given
    api_key, raw_key = api_key_create(name="FixMyStreet")
    assert api_key_get_active_remembered(raw_key=raw_key) == api_key
    # when
    api_key_revoke(api_key=ApiKey.objects.get(pk=api_key.pk))
    # then
    assert api_key_get_active_remembered(raw_key=raw_key) is None


def test_an_unknown_key_is_looked_up_every_time(django_assert_num_queries):
    # given
    api_key_get_active_remembered(raw_key="not-a-key")
    # when / then
    with django_assert_num_queries(1):
        assert api_key_get_active_remembered(raw_key="not-a-key") is None
