import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from cityline.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    ["Xq7#mB2!pL", "password1234", "738204918273", "dana.rivera.works"],
    ids=["shorter than 12", "common", "all digits", "like the username"],
)
def test_weak_staff_passwords_are_refused(password):
    # given
    user = UserFactory.build(username="dana.rivera", email="dana.rivera@example.org")
    # when / then
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_long_uncommon_password_is_accepted():
    # given
    user = UserFactory.build(username="dana.rivera")
    # when / then
    assert validate_password("lantern-quarry-velvet-93", user=user) is None
