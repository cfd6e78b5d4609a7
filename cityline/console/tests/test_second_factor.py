import pytest
from django.core.exceptions import ImproperlyConfigured
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.accounts.twofactor import check_second_factor_roles

pytestmark = pytest.mark.django_db

REQUIRED = ["administrator", "agency_supervisor", "supervisor_311"]


@pytest.fixture
def required(settings):
    settings.CITYLINE_REQUIRE_2FA_ROLES = REQUIRED


def _code(device: TOTPDevice) -> str:
    return str(
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    ).zfill(device.digits)


def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(client, required):
    # given
    client.force_login(user_with_role(Role.ADMINISTRATOR, is_staff=True))
    # when
    console = client.get("/console/")
    admin = client.get("/admin/")
    # then
    assert console.status_code == 302
    assert console["Location"] == "/console/2fa/setup/?next=%2Fconsole%2F"
    assert admin["Location"] == "/console/2fa/setup/?next=%2Fadmin%2F"


def test_the_setup_page_shows_a_qr_code_and_the_address_to_type(client, required):
    # given
    client.force_login(user_with_role(Role.SUPERVISOR_311, username="sam"))
    # when
    page = client.get("/console/2fa/setup/", {"next": "/console/audit/"})
    # then
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "otpauth://totp/Cityline%3Asam?secret=" in page.text
    assert 'value="/console/audit/"' in page.text


def test_a_right_code_confirms_the_authenticator_and_opens_the_console(client, required):
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311)
    client.force_login(supervisor)
    client.get("/console/2fa/setup/")
    device = TOTPDevice.objects.get(user=supervisor)
    # when
    confirmed = client.post(
        "/console/2fa/setup/", {"token": _code(device), "next": "/console/audit/"}
    )
    # then
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/console/audit/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/console/audit/").status_code == 200
    assert AuditEntry.objects.filter(action="2fa.enrolled", actor=supervisor).exists()


@pytest.mark.parametrize("token", ["000000", "12ab56", ""])
def test_a_wrong_code_is_a_400_naming_the_field_and_confirms_nothing(client, required, token):
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311)
    client.force_login(supervisor)
    client.get("/console/2fa/setup/")
    # when
    response = client.post("/console/2fa/setup/", {"token": token})
    # then
    assert response.status_code == 400
    assert 'href="#id_token"' in response.text
    assert not TOTPDevice.objects.get(user=supervisor).confirmed
    assert client.get("/console/").status_code == 302


def test_a_person_with_an_authenticator_gives_its_code_on_sign_in(client, required):
    # given
    administrator = user_with_role(Role.ADMINISTRATOR, is_staff=True)
    device = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    client.force_login(administrator)
    asked = client.get("/admin/")
    # when
    refused = client.post("/console/2fa/verify/", {"token": "000000", "next": "/admin/"})
    device.throttle_reset()
    verified = client.post("/console/2fa/verify/", {"token": _code(device), "next": "/admin/"})
    # then
    assert asked["Location"] == "/console/2fa/verify/?next=%2Fadmin%2F"
    assert refused.status_code == 400
    assert verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_role_the_setting_does_not_name_needs_no_second_factor(client, required):
    # given
    client.force_login(user_with_role(Role.CALL_TAKER, is_staff=True))
    # when
    response = client.get("/console/")
    # then
    assert response.status_code == 200


def test_with_the_setting_off_administrators_sign_in_with_a_password_alone(client, settings):
    # given
    settings.CITYLINE_REQUIRE_2FA_ROLES = []
    client.force_login(user_with_role(Role.ADMINISTRATOR, is_staff=True))
    # when
    response = client.get("/console/")
    # then
    assert response.status_code == 200


def test_an_outside_address_in_next_is_not_followed(client, required):
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311)
    client.force_login(supervisor)
    client.get("/console/2fa/setup/")
    device = TOTPDevice.objects.get(user=supervisor)
    # when
    response = client.post(
        "/console/2fa/setup/", {"token": _code(device), "next": "https://evil.example/"}
    )
    # then
    assert response["Location"] == "/console/"


def test_a_misspelt_role_in_the_setting_stops_start_up():
    # when / then
    with pytest.raises(ImproperlyConfigured, match="supervisor311"):
        check_second_factor_roles(["administrator", "supervisor311"])
