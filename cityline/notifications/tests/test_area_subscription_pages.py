"""The confirm and stop pages of area and topic subscriptions: a GET changes nothing, the POST
acts, in the subscriber's language."""

import uuid

import pytest

from cityline.notifications.area_subscriptions import SubscriptionTopic, area_subscription_start
from cityline.notifications.models import AreaSubscription, Frequency

pytestmark = pytest.mark.django_db


def _subscription(language: str = "en") -> AreaSubscription:
    return area_subscription_start(
        email="area@example.org",
        language=language,
        topic=SubscriptionTopic(None, None, None),
        frequency=Frequency.WEEKLY,
    )


def test_opening_the_confirm_link_changes_nothing_and_pressing_confirms(client):
    # given
    subscription = _subscription(language="es")
    url = f"/follow/subscriptions/{subscription.token}/confirm/"
    # when
    opened = client.get(url)
    subscription.refresh_from_db()
    unconfirmed = subscription.confirmed_at
    pressed = client.post(url)
    # then
    subscription.refresh_from_db()
    assert opened.status_code == pressed.status_code == 200
    assert unconfirmed is None
    assert subscription.confirmed_at is not None
    assert 'lang="es"' in pressed.content.decode()


def test_one_click_stop_needs_no_cookie_or_form(client):
    # given
    subscription = _subscription()
    client.handler.enforce_csrf_checks = True
    # when
    response = client.post(
        f"/follow/subscriptions/{subscription.token}/stop/",
        {"List-Unsubscribe": "One-Click"},
    )
    # then
    subscription.refresh_from_db()
    assert response.status_code == 200
    assert subscription.stopped_at is not None


def test_confirming_a_stopped_subscription_is_refused(client):
    # given
    subscription = _subscription()
    client.post(f"/follow/subscriptions/{subscription.token}/stop/")
    # when
    response = client.post(f"/follow/subscriptions/{subscription.token}/confirm/")
    # then
    subscription.refresh_from_db()
    assert response.status_code == 400
    assert subscription.confirmed_at is None


@pytest.mark.parametrize("action", ["confirm", "stop"])
def test_an_unknown_or_malformed_token_is_not_found(client, action):
    # when
    unknown = client.get(f"/follow/subscriptions/{uuid.uuid4()}/{action}/")
    malformed = client.get(f"/follow/subscriptions/not-a-token/{action}/")
    # then
    assert unknown.status_code == malformed.status_code == 404
