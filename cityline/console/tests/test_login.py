import pytest
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse

from cityline.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Monitor:
    calls = 0


@pytest.fixture
def monitor_backend(monkeypatch):
    """Counts the passwords Django's own backend checks (each one a key derivation)."""
    monitor = _Monitor()
    authenticate = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        monitor.calls += 1
        return authenticate(self, request, username, password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return monitor


def test_the_console_asks_anonymous_visitors_to_sign_in(client):
    # when
    response = client.get(reverse("console:home"))
    # then
    assert response.status_code == 302
    assert response["Location"] == "/console/login/?next=/console/"


def test_staff_sign_in_with_their_password_and_out_again(client, people):
    # given
    login = client.get(reverse("console:login"))
    # when
    signed_in = client.post(
        reverse("console:login"),
        {"username": "call-taker", "password": "correct horse battery staple", "next": "/console/"},
    )
    home = client.get("/console/")
    signed_out = client.post(reverse("console:logout"))
    # then
    assert login.status_code == 200
    assert '<label for="id_username">' in login.content.decode()
    assert signed_in["Location"] == "/console/"
    assert home.status_code == 200
    assert "Sign out call-taker" in home.content.decode()
    assert signed_out.status_code == 302
    assert client.get("/console/").status_code == 302


def test_a_wrong_password_is_refused(client, people):
    # when
    response = client.post(reverse("console:login"), {"username": "call-taker", "password": "x"})
    # then
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def _sign_in(client, username, password, *, address="203.0.113.7", path="console:login"):
    return client.post(
        reverse(path), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_after_five_wrong_passwords_the_right_one_is_refused_with_when_to_try_again(
    client, people, settings
):
    # given
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "call-taker", "guess")
    # when
    response = _sign_in(client, "call-taker", "correct horse battery staple")
    # then
    page = response.content.decode()
    assert response.status_code == 429
    assert "Try again in 60 minutes, after" in page
    assert response["Retry-After"] == "3600"
    assert client.get(reverse("console:home")).status_code == 302


def test_an_account_locked_out_from_one_address_is_locked_out_from_every_other(
    client, people, settings
):
    # given
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "call-taker", "guess", address=f"198.51.100.{n}")
    # when
    response = _sign_in(client, "call-taker", "correct horse battery staple", address="192.0.2.1")
    # then
    assert response.status_code == 429


def test_an_address_that_guessed_at_many_accounts_is_locked_out_for_all_of_them(
    client, people, settings
):
    # given
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"someone-{n}", "guess")
    # when
    from_there = _sign_in(client, "call-taker", "correct horse battery staple")
    from_elsewhere = _sign_in(
        client, "call-taker", "correct horse battery staple", address="192.0.2.1"
    )
    # then
    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_the_admin_sign_in_is_locked_out_too(client, settings):
    # given
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "admin", "guess", path="admin:login")
    # when
    response = _sign_in(client, "admin", "correct horse battery staple", path="admin:login")
    # then
    assert response.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_locked_out_try_hashes_no_password(client, people, settings, monitor_backend):
    # given
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "call-taker", "guess")
    checked_before = monitor_backend.calls
    # when
    for _ in range(20):
        _sign_in(client, "call-taker", "guess")
    # then
    assert checked_before == settings.AXES_FAILURE_LIMIT
    assert monitor_backend.calls == checked_before


def test_a_right_password_before_the_limit_signs_in_and_forgets_the_wrong_ones(
    client, people, settings
):
    # given
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "call-taker", "guess")
    # when
    signed_in = _sign_in(client, "call-taker", "correct horse battery staple")
    client.post(reverse("console:logout"))
    after = [_sign_in(client, "call-taker", "guess") for _ in range(2)]
    # then
    assert signed_in.status_code == 302
    assert [r.status_code for r in after] == [200, 200]


def test_behind_a_proxy_an_address_is_the_one_the_proxy_appended(client, people, settings):
    # given: one proxy in front, and a client that writes a new address of its own on every try
    settings.CITYLINE_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("console:login"),
            {"username": f"someone-{n}", "password": "guess"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        )
    # when
    same_client = client.post(
        reverse("console:login"),
        {"username": "call-taker", "password": "correct horse battery staple"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other_client = client.post(
        reverse("console:login"),
        {"username": "call-taker", "password": "correct horse battery staple"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    # then
    assert same_client.status_code == 429
    assert other_client.status_code == 302


def test_without_a_proxy_a_forwarded_address_is_not_believed(client, people, settings):
    # given
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"someone-{n}", "guess", address="203.0.113.7")
    # when
    response = client.post(
        reverse("console:login"),
        {"username": "call-taker", "password": "correct horse battery staple"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    # then
    assert response.status_code == 429
