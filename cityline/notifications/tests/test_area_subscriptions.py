"""Subscriptions to an area or a topic: double opt-in, each new request or a weekly digest, in the
subscriber's language, one click to stop."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cityline.catalog.tests.factories import AgencyFactory, ServiceGroupFactory, ServiceTypeFactory
from cityline.core.errors import InvalidTransition
from cityline.core.outbox import outbox_sweep
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.notifications.area_subscriptions import (
    SubscriptionTopic,
    area_subscription_confirm,
    area_subscription_start,
    area_subscription_stop,
)
from cityline.notifications.models import AreaSubscription, Frequency
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
IN_FOUR = {"latitude": 41.85, "longitude": -87.65}
IN_FIVE = {"latitude": 41.85, "longitude": -87.45}


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def city():
    council = BoundaryLayerFactory.create(slug="council", name="Council Districts")
    four = BoundaryAreaFactory.create(
        layer=council,
        code="4",
        name="Council District 4",
        geometry=square(west=-87.7, south=41.8, size=0.1),
    )
    BoundaryAreaFactory.create(
        layer=council,
        code="5",
        name="Council District 5",
        geometry=square(west=-87.5, south=41.8, size=0.1),
    )
    streets = ServiceGroupFactory.create(name="Streets")
    agency = AgencyFactory.create(notification_email="")
    return {
        "four": four,
        "streets": streets,
        "pothole": ServiceTypeFactory.create(
            code="pothole", name="Pothole", group=streets, agency=agency
        ),
        "litter": ServiceTypeFactory.create(
            code="litter",
            name="Litter",
            group=ServiceGroupFactory.create(name="Sanitation"),
            agency=agency,
        ),
        "boarding": ServiceTypeFactory.create(
            code="boarding", name="Board up", is_public=False, agency=agency
        ),
    }


def _subscribed(email, *, language="en", frequency=Frequency.EACH, **topic) -> AreaSubscription:
    subscription = area_subscription_start(
        email=email,
        language=language,
        topic=SubscriptionTopic(
            area_id=topic.get("area_id"),
            service_group_id=topic.get("service_group_id"),
            service_type_id=topic.get("service_type_id"),
        ),
        frequency=frequency,
    )
    outbox_sweep()
    return area_subscription_confirm(subscription=subscription)


def test_subscribing_sends_a_confirmation_in_the_readers_language_and_nothing_else(city):
    # when
    subscription = area_subscription_start(
        email="lola@example.org",
        language="es",
        topic=SubscriptionTopic(city["four"].pk, city["streets"].pk, None),
        frequency=Frequency.WEEKLY,
    )
    outbox_sweep()
    # then
    (message,) = mail.outbox
    assert message.to == ["lola@example.org"]
    assert message.subject == "Confirme: noticias de Streets en Council District 4"
    assert f"/follow/subscriptions/{subscription.token}/confirm/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert subscription.confirmed_at is None


def test_only_confirmed_subscribers_hear_of_a_new_request_in_their_area_and_topic(city):
    # given
    _subscribed("area@example.org", area_id=city["four"].pk)
    _subscribed("topic@example.org", area_id=city["four"].pk, service_group_id=city["streets"].pk)
    _subscribed("other-topic@example.org", service_type_id=city["litter"].pk)
    _subscribed("elsewhere@example.org", area_id=city["four"].pk + 1)
    _subscribed("weekly@example.org", area_id=city["four"].pk, frequency=Frequency.WEEKLY)
    area_subscription_start(
        email="unsure@example.org",
        language="en",
        topic=SubscriptionTopic(city["four"].pk, None, None),
        frequency=Frequency.EACH,
    )
    stopped = _subscribed("stopped@example.org", area_id=city["four"].pk)
    area_subscription_stop(subscription=stopped)
    outbox_sweep()
    mail.outbox.clear()
    # when
    request = make_request(service_type=city["pothole"], **IN_FOUR)
    outbox_sweep()
    # then
    told = {message.to[0]: message for message in mail.outbox}
    assert set(told) == {"area@example.org", "topic@example.org"}
    message = told["topic@example.org"]
    assert message.subject == "New request: Pothole (Streets in Council District 4)"
    assert f"/track/{request.tracking_number}/" in message.body
    assert "/follow/subscriptions/" in message.extra_headers["List-Unsubscribe"]


def test_nobody_hears_of_a_request_the_public_never_sees(city):
    # given
    _subscribed("area@example.org", area_id=city["four"].pk)
    mail.outbox.clear()
    # when
    make_request(service_type=city["boarding"], **IN_FOUR)
    outbox_sweep()
    # then
    assert mail.outbox == []


def test_the_weekly_digest_lists_the_weeks_requests_once_a_week(city, monday):
    # given
    subscription = _subscribed(
        "weekly@example.org",
        language="ar",
        frequency=Frequency.WEEKLY,
        area_id=city["four"].pk,
    )
    mail.outbox.clear()
    monday.move_to(MONDAY + timedelta(days=2))
    inside = make_request(service_type=city["pothole"], **IN_FOUR)
    outside = make_request(service_type=city["pothole"], **IN_FIVE)
    outbox_sweep()
    # when: the worker's minute runs through the week
    monday.move_to(MONDAY + timedelta(days=6))
    call_command("subscription_digests")
    outbox_sweep()
    early = list(mail.outbox)
    monday.move_to(MONDAY + timedelta(days=7, minutes=1))
    call_command("subscription_digests")
    call_command("subscription_digests")
    outbox_sweep()
    # then
    assert early == []
    (digest,) = mail.outbox
    assert digest.to == ["weekly@example.org"]
    assert digest.subject == "هذا الأسبوع: طلبات جديدة (كل الخدمات في Council District 4): 1"
    assert inside.tracking_number in digest.body
    assert outside.tracking_number not in digest.body
    assert "area=council%3A4" in digest.body
    subscription.refresh_from_db()
    assert subscription.digest_until == MONDAY + timedelta(days=7)


def test_a_week_without_requests_sends_no_digest(city, monday):
    # given
    _subscribed("weekly@example.org", frequency=Frequency.WEEKLY, area_id=city["four"].pk)
    mail.outbox.clear()
    # when
    monday.move_to(MONDAY + timedelta(days=8))
    call_command("subscription_digests")
    outbox_sweep()
    # then
    assert mail.outbox == []


def test_subscribing_again_to_a_confirmed_subscription_sends_nothing(city):
    # given
    subscription = _subscribed("area@example.org", area_id=city["four"].pk)
    mail.outbox.clear()
    # when
    again = area_subscription_start(
        email="AREA@example.org",
        language="en",
        topic=SubscriptionTopic(city["four"].pk, None, None),
        frequency=Frequency.EACH,
    )
    outbox_sweep()
    # then
    assert again.pk == subscription.pk
    assert mail.outbox == []


def test_a_stopped_subscription_cannot_be_confirmed(city):
    # given
    subscription = area_subscription_start(
        email="area@example.org",
        language="en",
        topic=SubscriptionTopic(None, None, None),
        frequency=Frequency.EACH,
    )
    area_subscription_stop(subscription=subscription)
    # when / then
    with pytest.raises(InvalidTransition):
        area_subscription_confirm(subscription=subscription)
