"""The pages behind the links: a GET only shows a button, the POST confirms or stops."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from cityline.servicerequests.models import Follower, Requester
from cityline.servicerequests.services.following import follower_confirm, service_request_follow
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower() -> Follower:
    return service_request_follow(request=make_request(), email="ana@example.org", language="es")


def confirm_url(token) -> str:
    return reverse("notifications:follow_confirm", args=[token])


def stop_url(token) -> str:
    return reverse("notifications:follow_stop", args=[token])


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(client, follower):
    # when
    response = client.get(confirm_url(follower.token))
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirmar" in page and 'lang="es"' in page
    assert "ana@example.org" not in page
    follower.refresh_from_db()
    assert follower.confirmed_at is None


def test_pressing_confirm_makes_a_subscriber(client, follower):
    # when
    response = client.post(confirm_url(follower.token))
    # then
    assert response.status_code == 200
    assert "Gracias: ya sigue esta solicitud." in response.content.decode()
    follower.refresh_from_db()
    assert follower.is_subscribed


def test_confirming_a_stopped_subscription_is_refused_with_a_way_back(client, follower):
    # given
    client.post(stop_url(follower.token))
    # when
    response = client.post(confirm_url(follower.token))
    # then
    assert response.status_code == 400
    assert "sígala de nuevo desde su página" in response.content.decode()
    follower.refresh_from_db()
    assert follower.confirmed_at is None


def test_opening_the_stop_link_stops_nothing(client, follower):
    # given
    follower_confirm(follower=follower)
    # when
    response = client.get(stop_url(follower.token))
    # then
    assert response.status_code == 200
    assert "Dejar de recibir mensajes" in response.content.decode()
    follower.refresh_from_db()
    assert follower.is_subscribed


def test_one_click_unsubscribe_stops_without_a_cookie_and_twice_is_fine(follower):
    # given: a mail provider's POST (RFC 8058): no session, no CSRF token
    provider = Client(enforce_csrf_checks=True)
    follower_confirm(follower=follower)
    # when
    first = provider.post(stop_url(follower.token), {"List-Unsubscribe": "One-Click"})
    second = provider.post(stop_url(follower.token), {"List-Unsubscribe": "One-Click"})
    # then
    assert (first.status_code, second.status_code) == (200, 200)
    assert "no recibirá más mensajes" in second.content.decode()
    follower.refresh_from_db()
    assert not follower.is_subscribed


def test_a_reporter_stops_the_updates_they_opted_in_to(client):
    # given
    request = make_request(
        requester=RequesterDetails(email="rosa@example.org", wants_updates=True, language="ar")
    )
    token = Requester.objects.get(request=request).updates_token
    # when
    shown = client.get(stop_url(token))
    still_subscribed = Requester.objects.get(request=request).wants_updates
    stopped = client.post(stop_url(token))
    # then
    assert shown.status_code == 200 and 'lang="ar"' in shown.content.decode()
    assert still_subscribed
    assert stopped.status_code == 200
    assert not Requester.objects.get(request=request).wants_updates


@pytest.mark.parametrize("make_url", [confirm_url, stop_url])
def test_an_unknown_token_is_not_found(client, make_url):
    # when
    response = client.post(make_url(uuid.uuid4()))
    # then
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["confirm", "stop"])
def test_a_malformed_token_is_not_found(client, action):
    # when
    response = client.get(f"/follow/not-a-token/{action}/")
    # then
    assert response.status_code == 404


def test_a_reporter_token_confirms_nothing(client):
    # given
    request = make_request(
        requester=RequesterDetails(email="rosa@example.org", wants_updates=True, language="en")
    )
    # when
    response = client.post(confirm_url(Requester.objects.get(request=request).updates_token))
    # then
    assert response.status_code == 404


def test_other_methods_are_not_allowed(client, follower):
    # when
    response = client.put(stop_url(follower.token))
    # then
    assert response.status_code == 405
