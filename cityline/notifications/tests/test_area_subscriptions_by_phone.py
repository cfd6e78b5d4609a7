"""Subscribing to an area's or a topic's alerts by mobile number: the link to confirm is texted,
in the subscriber's language, through the channels app; a number that texted STOP gets nothing."""

import json

import pytest
from django.conf import settings

from cityline.channels.models import SmsOptOut
from cityline.core.outbox import outbox_sweep
from cityline.notifications.area_subscriptions import (
    SubscriptionTopic,
    area_subscription_confirm,
    area_subscription_start_by_phone,
)
from cityline.notifications.models import Frequency
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

CITY_WIDE = SubscriptionTopic(area_id=None, service_group_id=None, service_type_id=None)


@pytest.fixture(autouse=True)
def _texts_folder(settings, tmp_path):
    settings.CITYLINE_SMS_FOLDER = tmp_path / "sms"


def _texts() -> list[dict]:
    folder = settings.CITYLINE_SMS_FOLDER / "new"
    return [json.loads(p.read_text()) for p in sorted(folder.iterdir())] if folder.exists() else []


def test_the_link_to_confirm_is_texted_in_the_subscribers_language():
    # when
    subscription = area_subscription_start_by_phone(
        phone="15550001111", language="es", topic=CITY_WIDE
    )
    outbox_sweep()
    # then
    (text,) = _texts()
    assert text["to"] == "15550001111"
    assert f"/follow/subscriptions/{subscription.token}/confirm/" in text["body"]
    assert "STOP" in text["body"] and "alertas" in text["body"]
    assert subscription.frequency == Frequency.ALERTS and subscription.confirmed_at is None


def test_a_number_that_texted_stop_is_not_texted():
    # given
    SmsOptOut.objects.create(phone="15550001111")
    # when
    area_subscription_start_by_phone(phone="15550001111", language="en", topic=CITY_WIDE)
    outbox_sweep()
    # then
    assert _texts() == []


def test_asking_again_once_confirmed_sends_nothing_more():
    # given
    first = area_subscription_start_by_phone(phone="15550001111", language="en", topic=CITY_WIDE)
    outbox_sweep()
    area_subscription_confirm(subscription=first)
    # when
    again = area_subscription_start_by_phone(phone="15550001111", language="en", topic=CITY_WIDE)
    outbox_sweep()
    # then
    assert again.pk == first.pk and len(_texts()) == 1


def test_alerts_by_text_are_not_told_of_each_new_request():
    # given
    subscription = area_subscription_start_by_phone(
        phone="15550001111", language="en", topic=CITY_WIDE
    )
    outbox_sweep()
    area_subscription_confirm(subscription=subscription)
    # when
    make_request()
    outbox_sweep()
    # then: the confirmation only
    assert len(_texts()) == 1


def test_the_confirmation_page_speaks_of_texts_in_the_subscribers_language(client):
    # given
    subscription = area_subscription_start_by_phone(
        phone="15550001111", language="es", topic=CITY_WIDE
    )
    url = f"/follow/subscriptions/{subscription.token}/confirm/"
    # when
    asked = client.get(url).content.decode()
    done = client.post(url).content.decode()
    # then
    assert "Las alertas de la ciudad por mensaje de texto" in asked
    assert "Responda STOP" in done
    subscription.refresh_from_db()
    assert subscription.is_subscribed
