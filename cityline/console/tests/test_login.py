import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
