import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from cityline.accounts.tests.factories import UserFactory
from cityline.servicerequests.access import can_move_lifecycle

pytestmark = pytest.mark.django_db


def _with_change_permission(**fields):
    user = UserFactory(**fields)
    user.user_permissions.add(Permission.objects.get(codename="change_servicerequest"))
    return user


def test_staff_with_the_change_permission_may_move_requests_on():
    assert can_move_lifecycle(user=_with_change_permission(username="clerk", is_staff=True))


def test_a_superuser_may_move_requests_on():
    assert can_move_lifecycle(user=UserFactory(username="root", is_superuser=True))


@pytest.mark.parametrize("who", ["anonymous", "nobody", "viewer", "switched off"])
def test_others_may_not(who):
    # given
    users = {
        "anonymous": lambda: AnonymousUser(),
        "nobody": lambda: None,
        "viewer": lambda: UserFactory(username="viewer", is_staff=True),
        "switched off": lambda: _with_change_permission(username="gone", is_active=False),
    }
    # when
    allowed = can_move_lifecycle(user=users[who]())
    # then
    assert not allowed
