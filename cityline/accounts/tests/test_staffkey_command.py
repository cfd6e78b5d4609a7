from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityline.accounts.selectors import staff_key_get_active
from cityline.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("staffkey", *args, stdout=out)
    return out.getvalue().splitlines()


def test_a_key_is_printed_once_acts_as_its_person_and_stops_when_revoked():
    # given
    inspector = UserFactory.create(username="inspector-7")
    # when
    raw_key = run("create", "inspector-7", "pothole model")[-1]
    staff_key = staff_key_get_active(raw_key=raw_key)
    listing = run("list")
    run("revoke", raw_key[:8])
    # then
    assert staff_key is not None and staff_key.user == inspector
    assert listing == [f"{raw_key[:8]}  inspector-7  pothole model  active"]
    assert raw_key not in "".join(listing)
    assert staff_key_get_active(raw_key=raw_key) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "nobody", "sweep"), "no user 'nobody'"),
        (("revoke", "nosuchpr"), "0 active keys start with 'nosuchpr'"),
    ],
)
def test_unknown_people_and_keys_are_refused(args, message):
    # when
    with pytest.raises(CommandError) as refused:
        run(*args)
    # then
    assert str(refused.value) == message


def test_a_deactivated_account_gets_no_key():
    # given
    UserFactory.create(username="gone", is_active=False)
    # when
    with pytest.raises(CommandError) as refused:
        run("create", "gone", "sweep")
    # then
    assert "not an active account" in str(refused.value)
