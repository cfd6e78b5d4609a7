"""Broadcasts reach the e-mail and text subscribers of their area and topic, each in their
language, once, and never those who stopped or opted out."""

import uuid

import pytest
from django.core import mail

from cityline.accounts.models import AuditEntry
from cityline.catalog.tests.factories import ServiceGroupFactory, ServiceTypeFactory
from cityline.channels.models import SmsOptOut
from cityline.core.errors import InvalidInput
from cityline.core.outbox import outbox_sweep
from cityline.emergencies.broadcasts import (
    BroadcastWords,
    broadcast_audience,
    broadcast_delivery_counts,
    broadcast_send,
)
from cityline.emergencies.models import Broadcast
from cityline.emergencies.tests.factories import (
    FLOOD_SUBJECTS,
    FLOOD_TEXTS,
    flood_broadcast_words,
    make_emergency,
    subscribed,
    texts_sent,
)
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.notifications.area_subscriptions import area_subscription_stop

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts():
    council = BoundaryLayerFactory.create(slug="council", name="Council Districts")
    return (
        BoundaryAreaFactory.create(
            layer=council,
            code="4",
            name="Council District 4",
            geometry=square(west=-87.7, south=41.8, size=0.1),
        ),
        BoundaryAreaFactory.create(
            layer=council,
            code="5",
            name="Council District 5",
            geometry=square(west=-87.5, south=41.8, size=0.1),
        ),
    )


def _send(area_id=None, service_group_id=None, key=None):
    broadcast, sent = broadcast_send(
        key=key or uuid.uuid4(),
        words=flood_broadcast_words(),
        area_id=area_id,
        service_group_id=service_group_id,
        by=None,
    )
    outbox_sweep()
    return broadcast, sent


def test_a_broadcast_reaches_the_areas_subscribers_by_email_and_text_in_their_language(
    districts,
):
    # given: in district 4, Lola by e-mail in Spanish and Amal by text in Arabic; a city-wide
    # subscriber; someone of district 5; one who stopped; a number that texted STOP
    four, five = districts
    subscribed(email="lola@example.org", language="es", area=four)
    subscribed(phone="15550001111", language="ar", area=four)
    subscribed(email="city@example.org")
    subscribed(email="five@example.org", area=five)
    area_subscription_stop(subscription=subscribed(email="gone@example.org", area=four))
    subscribed(phone="15550002222", area=four)
    SmsOptOut.objects.create(phone="15550002222")
    mail.outbox.clear()
    confirmations = len(texts_sent())
    # when
    broadcast, sent = _send(area_id=four.pk)
    # then
    assert sent
    emails = {m.to[0]: m for m in mail.outbox}
    assert set(emails) == {"lola@example.org", "city@example.org"}
    lola = emails["lola@example.org"]
    assert lola.subject == FLOOD_SUBJECTS["es"]
    assert FLOOD_TEXTS["es"] in lola.body
    assert (
        "/follow/subscriptions/" in lola.body and "/stop/" in lola.extra_headers["List-Unsubscribe"]
    )
    (text,) = texts_sent()[confirmations:]
    assert text["to"] == "15550001111"
    assert text["body"].startswith(f"{FLOOD_SUBJECTS['ar']}: {FLOOD_TEXTS['ar']}")
    assert (broadcast.email_audience, broadcast.sms_audience) == (2, 2)
    counts = broadcast_delivery_counts(broadcast_ids=[broadcast.pk])[broadcast.pk]
    assert (counts.sent, counts.skipped, counts.waiting) == (3, 1, 0)


def test_texts_say_how_to_stop_in_english_too(districts):
    # given
    subscribed(phone="15550003333", area=districts[0])
    before = len(texts_sent())
    # when
    _send(area_id=districts[0].pk)
    # then
    (text,) = texts_sent()[before:]
    assert text["body"].endswith("Reply STOP to stop.")


def test_a_topic_broadcast_reaches_the_topics_and_its_types_subscribers_only():
    # given
    streets = ServiceGroupFactory.create(name="Streets")
    pothole = ServiceTypeFactory.create(code="pothole", group=streets)
    subscribed(email="streets@example.org", service_group_id=streets.pk)
    subscribed(email="everything@example.org")
    subscribed(
        email="parks@example.org", service_group_id=ServiceGroupFactory.create(name="Parks").pk
    )
    type_subscriber = subscribed(email="pothole@example.org")
    type_subscriber.service_type = pothole
    type_subscriber.save()
    mail.outbox.clear()
    # when
    _send(service_group_id=streets.pk)
    # then
    assert sorted(m.to[0] for m in mail.outbox) == [
        "everything@example.org",
        "pothole@example.org",
        "streets@example.org",
    ]


def test_one_person_subscribed_twice_hears_once(districts):
    # given
    subscribed(email="ana@example.org", area=districts[0])
    subscribed(email="ANA@example.org")
    mail.outbox.clear()
    # when
    _send(area_id=districts[0].pk)
    # then
    assert len(mail.outbox) == 1


def test_the_same_form_sent_twice_is_one_broadcast(districts):
    # given
    subscribed(email="ana@example.org")
    mail.outbox.clear()
    key = uuid.uuid4()
    # when
    first, first_sent = _send(key=key)
    again, again_sent = _send(key=key)
    # then
    assert (first_sent, again_sent, first.pk) == (True, False, again.pk)
    assert Broadcast.objects.count() == 1 and len(mail.outbox) == 1


def test_the_audience_is_counted_by_channel_before_sending(districts):
    # given
    subscribed(email="ana@example.org", area=districts[0])
    subscribed(phone="15550001111", area=districts[0])
    subscribed(phone="15550004444", area=districts[1])
    # when
    audience = broadcast_audience(area_id=districts[0].pk, service_group_id=None)
    # then
    assert (audience.email, audience.sms) == (1, 1)


def test_a_broadcast_during_an_emergency_is_filed_with_it_and_audited():
    # given
    emergency = make_emergency()
    # when
    broadcast, _sent = _send()
    # then
    assert broadcast.emergency == emergency
    assert AuditEntry.objects.filter(action="broadcast.sent", target_id=str(broadcast.pk)).exists()


@pytest.mark.parametrize(
    ("words", "field"),
    [
        (BroadcastWords(subjects={**FLOOD_SUBJECTS, "ar": ""}, texts=FLOOD_TEXTS), "subject_ar"),
        (BroadcastWords(subjects=FLOOD_SUBJECTS, texts={"en": "Go"}), "text_es"),
        (
            BroadcastWords(subjects=FLOOD_SUBJECTS, texts={**FLOOD_TEXTS, "en": "x" * 601}),
            "text_en",
        ),
    ],
)
def test_words_missing_or_too_long_are_refused_naming_the_field(words, field):
    # when / then
    with pytest.raises(InvalidInput) as refused:
        broadcast_send(key=uuid.uuid4(), words=words, area_id=None, service_group_id=None, by=None)
    assert refused.value.field == field
    assert not Broadcast.objects.exists()
