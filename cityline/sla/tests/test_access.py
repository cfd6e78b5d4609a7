import pytest
from django.contrib.auth.models import AnonymousUser

from cityline.accounts.tests.factories import UserFactory
from cityline.sla.access import can_read_notices

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("is_staff", "is_active", "allowed"),
    [(True, True, True), (False, True, False), (True, False, False)],
)
def test_only_active_staff_read_sla_notices(is_staff, is_active, allowed):
    # given
    user = UserFactory(is_staff=is_staff, is_active=is_active)
    # then
    assert can_read_notices(user=user) is allowed


def test_visitors_read_no_sla_notices():
    assert can_read_notices(user=AnonymousUser()) is False
