"""Broadcasts: the city's own message to everyone subscribed to an area or a topic, by e-mail and
by text, each subscriber in their language (Notify NYC).

`broadcast_send` stores the broadcast, one delivery per subscriber, and one outbox message per
delivery, in one transaction; the same form sent twice (its `key`) makes one broadcast. The
outbox handler sends each copy: by e-mail with the subscription's one-click stop link, by text
through the channels app's gateway with "Reply STOP to stop". A subscription stopped, or a number
that texted STOP, after the broadcast was written gets nothing. Texts go straight to the gateway,
not as contacts: a broadcast is not an interaction with the resident, and thousands of them would
swamp the contact center's figures.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext

from cityline.accounts.audit import audit_record
from cityline.accounts.models import User
from cityline.catalog.translation import catalog_languages, text_in
from cityline.channels.gateways import sms_gateway
from cityline.channels.selectors import sms_opted_out
from cityline.core import clock
from cityline.core.errors import InvalidInput
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_enqueue_many
from cityline.emergencies.models import (
    SUBJECT_MAX,
    TEXT_MAX,
    Broadcast,
    BroadcastDelivery,
    DeliveryChannel,
    DeliveryOutcome,
    Emergency,
)
from cityline.notifications.area_subscriptions import (
    area_subscriber_email,
    area_subscribers_for_broadcast,
    area_subscription_get,
    subscriber_language,
)
from cityline.notifications.services import EmailNotSent, email_parts_send_once

DELIVER_TOPIC = "broadcast.deliver"


@dataclass(frozen=True)
class BroadcastWords:
    """A broadcast's subject and text, each by language code."""

    subjects: Mapping[str, str]
    texts: Mapping[str, str]


class Audience(NamedTuple):
    email: int
    sms: int


def broadcast_audience(*, area_id: int | None, service_group_id: int | None) -> Audience:
    """How many would hear a broadcast to this area and topic now, by channel."""
    recipients = area_subscribers_for_broadcast(area_id=area_id, service_group_id=service_group_id)
    by_phone = sum(1 for r in recipients if r.phone)
    return Audience(email=len(recipients) - by_phone, sms=by_phone)


def _check(words: BroadcastWords) -> dict[str, str]:
    # Every language: each subscriber reads it in theirs.
    columns = {}
    for code in catalog_languages():
        subject = words.subjects.get(code, "").strip()
        text = words.texts.get(code, "").strip()
        if not subject:
            raise InvalidInput("give the subject in every language", field=f"subject_{code}")
        if len(subject) > SUBJECT_MAX:
            raise InvalidInput(
                f"a subject has at most {SUBJECT_MAX} characters", field=f"subject_{code}"
            )
        if not text:
            raise InvalidInput("give the text in every language", field=f"text_{code}")
        if len(text) > TEXT_MAX:
            raise InvalidInput(f"a text has at most {TEXT_MAX} characters", field=f"text_{code}")
        columns[f"subject_{code}"], columns[f"text_{code}"] = subject, text
    return columns


def broadcast_send(
    *,
    key: uuid.UUID,
    words: BroadcastWords,
    area_id: int | None,
    service_group_id: int | None,
    by: User | AnonymousUser | None,
    ip: str | None = None,
) -> tuple[Broadcast, bool]:
    """Send a broadcast to the area's and topic's subscribers; the broadcast, and whether this
    call sent it (False: the form with this key was sent already, and nothing more is sent)."""
    columns = _check(words)
    existing = Broadcast.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            recipients = area_subscribers_for_broadcast(
                area_id=area_id, service_group_id=service_group_id
            )
            by_phone = sum(1 for r in recipients if r.phone)
            broadcast = Broadcast.objects.create(
                key=key,
                **columns,
                area_id=area_id,
                service_group_id=service_group_id,
                emergency=Emergency.objects.filter(ongoing=True).first(),
                sent_at=clock.now(),
                sent_by=by if isinstance(by, User) else None,
                email_audience=len(recipients) - by_phone,
                sms_audience=by_phone,
            )
            deliveries = BroadcastDelivery.objects.bulk_create(
                BroadcastDelivery(
                    broadcast=broadcast,
                    subscription_id=r.subscription_id,
                    channel=DeliveryChannel.SMS if r.phone else DeliveryChannel.EMAIL,
                )
                for r in recipients
            )
            outbox_enqueue_many(
                topic=DELIVER_TOPIC, payloads=[{"delivery_id": d.pk} for d in deliveries]
            )
            audit_record(
                actor=by,
                action="broadcast.sent",
                target=broadcast,
                details={
                    "subject": broadcast.subject,
                    "email_audience": broadcast.email_audience,
                    "sms_audience": broadcast.sms_audience,
                },
                ip=ip,
            )
    except IntegrityError:
        # The same form sent twice at once: the other request sent it.
        existing = Broadcast.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing, False
    return broadcast, True


def _words_in(broadcast: Broadcast, language: str) -> tuple[str, str]:
    codes = catalog_languages()
    subjects = {code: getattr(broadcast, f"subject_{code}") or "" for code in codes}
    texts = {code: getattr(broadcast, f"text_{code}") or "" for code in codes}
    return text_in(subjects, language)[0], text_in(texts, language)[0]


def _done(delivery: BroadcastDelivery, outcome: str) -> None:
    BroadcastDelivery.objects.filter(pk=delivery.pk).update(outcome=outcome, done_at=clock.now())


def broadcast_deliver(*, outbox_message: OutboxMessage) -> None:
    """Send one subscriber's copy; a copy already sent or skipped is not sent again."""
    delivery = (
        BroadcastDelivery.objects.select_related("broadcast")
        .filter(pk=outbox_message.payload["delivery_id"], outcome=DeliveryOutcome.WAITING)
        .first()
    )
    if delivery is None:
        return
    subscription = area_subscription_get(subscription_id=delivery.subscription_id)
    if subscription is None or not subscription.is_subscribed:
        _done(delivery, DeliveryOutcome.SKIPPED)
        return
    language = subscriber_language(subscription)
    subject, text = _words_in(delivery.broadcast, language)
    if delivery.channel == DeliveryChannel.EMAIL:
        email = area_subscriber_email(subscription=subscription, subject=subject, body=text)
        failures = email_parts_send_once(outbox_message=outbox_message, parts={"broadcast": email})
        if failures:
            raise EmailNotSent(failures)
    else:
        if sms_opted_out(phone=subscription.phone):
            _done(delivery, DeliveryOutcome.SKIPPED)
            return
        with translation.override(language):
            stop = gettext("Reply STOP to stop.")
        sms_gateway().send(
            to=subscription.phone,
            body=f"{subject}: {text} {stop}",
            reference=f"broadcast-{delivery.pk}",
        )
    _done(delivery, DeliveryOutcome.SENT)


class DeliveryCounts(NamedTuple):
    sent: int
    skipped: int
    waiting: int


def broadcast_delivery_counts(*, broadcast_ids: list[int]) -> dict[int, DeliveryCounts]:
    """Each broadcast's copies by outcome, in one query."""
    rows = (
        BroadcastDelivery.objects.filter(broadcast_id__in=broadcast_ids)
        .order_by()
        .values_list("broadcast_id", "outcome")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {pk: {} for pk in broadcast_ids}
    for pk, outcome, n in rows:
        counts[pk][outcome] = n
    return {
        pk: DeliveryCounts(
            sent=c.get(DeliveryOutcome.SENT, 0),
            skipped=c.get(DeliveryOutcome.SKIPPED, 0),
            waiting=c.get(DeliveryOutcome.WAITING, 0),
        )
        for pk, c in counts.items()
    }
