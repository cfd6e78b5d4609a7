from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from cityline.accounts.models import ApiKey
from cityline.accounts.selectors import api_key_get_active
from cityline.accounts.services import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("apikey", *args, stdout=out)
    return out.getvalue().splitlines()


def test_create_prints_the_key_alone_on_the_last_line():
    # when
    lines = run("create", "FixMyStreet")
    # then
    raw_key = lines[-1]
    api_key = api_key_get_active(raw_key=raw_key)
    assert api_key is not None
    assert api_key.name == "FixMyStreet"
    assert api_key.rate_limit == 60
    assert raw_key.strip() == raw_key and " " not in raw_key
    assert "60/min" in lines[0]


def test_create_with_a_rate_limit_of_zero_makes_an_unlimited_key():
    # when
    lines = run("create", "Demo client", "--rate-limit", "0")
    # then
    api_key = api_key_get_active(raw_key=lines[-1])
    assert api_key.rate_limit == 0
    assert "unlimited" in lines[0]


def test_create_refuses_a_negative_rate_limit():
    # when / then
    with pytest.raises(CommandError, match="--rate-limit"):
        run("create", "Greedy", "--rate-limit", "-1")
    assert not ApiKey.objects.exists()


def test_list_shows_each_key_by_prefix_and_never_the_key():
    # given
    active, active_raw = api_key_create(name="FixMyStreet", rate_limit=30)
    gone, gone_raw = api_key_create(name="Old app", rate_limit=0)
    # revoked at 20:00 on 2 March in Chicago, already 3 March in UTC
    with time_machine.travel(datetime(2026, 3, 2, 20, 0, tzinfo=CHICAGO), tick=False):
        api_key_revoke(api_key=gone)
    # when
    output = "\n".join(run("list"))
    # then
    assert active_raw not in output and gone_raw not in output
    assert active.key_hash not in output and gone.key_hash not in output
    assert f"{active.key_prefix}  FixMyStreet  30/min  active" in output
    assert f"{gone.key_prefix}  Old app  unlimited  revoked 2026-03-02" in output


def test_revoke_by_prefix_stops_the_key():
    # given
    api_key, raw_key = api_key_create(name="FixMyStreet")
    # when
    lines = run("revoke", api_key.key_prefix)
    # then
    assert api_key_get_active(raw_key=raw_key) is None
    assert lines == [f"Revoked FixMyStreet ({api_key.key_prefix}…)"]


def test_revoke_refuses_a_prefix_that_matches_no_active_key():
    # given
    api_key, _ = api_key_create(name="FixMyStreet")
    api_key_revoke(api_key=api_key)
    # when / then
    with pytest.raises(CommandError, match="0 active keys"):
        run("revoke", api_key.key_prefix)


def test_revoke_refuses_a_prefix_shared_by_two_active_keys():
    # given: two keys that happen to start alike
    first, first_raw = api_key_create(name="One")
    second, second_raw = api_key_create(name="Two")
    ApiKey.objects.filter(pk=second.pk).update(key_prefix=first.key_prefix)
    # when / then
    with pytest.raises(CommandError, match="2 active keys"):
        run("revoke", first.key_prefix)
    assert api_key_get_active(raw_key=first_raw) == first
    assert api_key_get_active(raw_key=second_raw) is not None


def test_check_succeeds_for_an_active_key():
    # given
    _, raw_key = api_key_create(name="FixMyStreet")
    # then
    assert run("check", raw_key) == ["active"]


def test_check_fails_with_exit_status_1_for_a_revoked_or_unknown_key():
    # given
    api_key, raw_key = api_key_create(name="FixMyStreet")
    api_key_revoke(api_key=api_key)
    # when / then
    for attempt in (raw_key, "not-a-key"):
        with pytest.raises(CommandError, match="not an active key") as refused:
            run("check", attempt)
        assert refused.value.returncode == 1
