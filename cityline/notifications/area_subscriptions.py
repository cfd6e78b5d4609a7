"""Subscriptions to an area or a topic: a resident asks by e-mail for news of the new public
requests of a district, a service group or type, or both ("street conditions in Council District
4"), for each new request or as a weekly digest.

Double opt-in: `area_subscription_start` stores the subscription unconfirmed and queues the
confirmation e-mail; the link in it confirms. Every message carries the one-click stop link. Each
message is a part of its outbox message of its own (`email_parts_send_once`), so a retry sends only
what was not sent yet. Messages come from the city's templates, in the subscriber's language.
"""

import uuid
from datetime import datetime, timedelta
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext

from cityline.channels.services.sms import sms_send
from cityline.core import clock
from cityline.core.errors import InvalidTransition
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_enqueue
from cityline.notifications.links import (
    neighborhood_link,
    subscription_confirm_link,
    subscription_stop_link,
    tracking_link,
)
from cityline.notifications.messages import (
    message_render,
    message_template_get,
    stoppable_email,
)
from cityline.notifications.models import AreaSubscription, Frequency, MessageEvent
from cityline.notifications.services import EmailNotSent, email_parts_send_once
from cityline.notifications.subscribers import subscriber_part
from cityline.servicerequests.neighborhood import (
    RequestFilters,
    service_request_count_in_place,
    service_request_page_in_place,
    service_request_place_facts,
)

CONFIRM_TOPIC = "area_subscription.confirm"
DIGEST_TOPIC = "area_subscription.digest"
DIGEST_PERIOD = timedelta(days=7)
# A digest lists this many of the week's requests and links to the page for the others.
DIGEST_LIMIT = 20


class SubscriptionTopic(NamedTuple):
    """What a subscription is about; None: any."""

    area_id: int | None
    service_group_id: int | None
    service_type_id: int | None


def area_subscription_start(
    *, email: str, language: str, topic: SubscriptionTopic, frequency: str
) -> AreaSubscription:
    """Ask to subscribe: stored unconfirmed, and the confirmation e-mail queued. Asking again for
    a subscription already confirmed changes nothing; for one not yet confirmed, the
    confirmation is sent again."""
    return _start(
        address=Q(email__iexact=email),
        fields={"email": email, "language": language, "frequency": frequency},
        topic=topic,
    )


def area_subscription_start_by_phone(
    *, phone: str, language: str, topic: SubscriptionTopic
) -> AreaSubscription:
    """Ask for the city's alerts of an area or topic by text: stored unconfirmed, and a text with
    the confirmation link queued (opening it confirms, as for e-mail: nothing to reply). The
    same rules for asking again as by e-mail. `phone` is digits only."""
    return _start(
        address=Q(phone=phone),
        fields={"phone": phone, "language": language, "frequency": Frequency.ALERTS},
        topic=topic,
    )


def _start(*, address: Q, fields: dict[str, str], topic: SubscriptionTopic) -> AreaSubscription:
    with transaction.atomic():
        existing = (
            AreaSubscription.objects.select_for_update()
            .filter(
                address,
                area_id=topic.area_id,
                service_group_id=topic.service_group_id,
                service_type_id=topic.service_type_id,
                frequency=fields["frequency"],
                stopped_at__isnull=True,
            )
            .first()
        )
        if existing is not None and existing.confirmed_at is not None:
            return existing
        subscription = existing or AreaSubscription.objects.create(
            **fields,
            area_id=topic.area_id,
            service_group_id=topic.service_group_id,
            service_type_id=topic.service_type_id,
        )
        outbox_enqueue(topic=CONFIRM_TOPIC, payload={"subscription_id": subscription.pk})
    return subscription


def area_subscription_confirm(*, subscription: AreaSubscription) -> AreaSubscription:
    """The link in the confirmation e-mail was followed. Confirming twice changes nothing."""
    with transaction.atomic():
        subscription = AreaSubscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.stopped_at is not None:
            raise InvalidTransition("this subscription was stopped: subscribe again", field="token")
        if subscription.confirmed_at is None:
            subscription.confirmed_at = clock.now()
            # The first digest tells of the week after the confirmation.
            subscription.digest_until = subscription.confirmed_at
            subscription.save(update_fields=["confirmed_at", "digest_until", "updated_at"])
    return subscription


def area_subscription_stop(*, subscription: AreaSubscription) -> AreaSubscription:
    """One click from any message: no more messages. Stopping twice changes nothing."""
    with transaction.atomic():
        subscription = AreaSubscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.stopped_at is None:
            subscription.stopped_at = clock.now()
            subscription.save(update_fields=["stopped_at", "updated_at"])
    return subscription


def area_subscription_get_by_token(*, token: uuid.UUID) -> AreaSubscription | None:
    return (
        AreaSubscription.objects.filter(token=token)
        .select_related("area", "service_group", "service_type")
        .first()
    )


def _live() -> QuerySet[AreaSubscription]:
    return AreaSubscription.objects.filter(confirmed_at__isnull=False, stopped_at__isnull=True)


def area_subscriptions_digest_due(*, now: datetime) -> list[AreaSubscription]:
    """The weekly subscriptions whose last digest told of a week ago or more."""
    return list(
        _live()
        .filter(frequency=Frequency.WEEKLY, digest_until__lte=now - DIGEST_PERIOD)
        .order_by("id")
    )


def area_subscription_digests_queue(*, now: datetime) -> int:
    """Queue the digest of every subscription due, each for the week after its last one;
    `cityline subscription_digests` runs this every minute beside the worker."""
    queued = 0
    for subscription in area_subscriptions_digest_due(now=now):
        with transaction.atomic():
            locked = AreaSubscription.objects.select_for_update().get(pk=subscription.pk)
            since = locked.digest_until
            if since is None or since > now - DIGEST_PERIOD:
                continue
            until = since + DIGEST_PERIOD
            locked.digest_until = until
            locked.save(update_fields=["digest_until", "updated_at"])
            outbox_enqueue(
                topic=DIGEST_TOPIC,
                payload={
                    "subscription_id": locked.pk,
                    "since": since.isoformat(),
                    "until": until.isoformat(),
                },
            )
            queued += 1
    return queued


def _language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def area_subscription_topic(subscription: AreaSubscription) -> str:
    """'Streets in Council District 4', in the language active."""
    what = subscription.service_type or subscription.service_group
    if what is not None and subscription.area is not None:
        return gettext("%(topic)s in %(area)s") % {
            "topic": what.name,
            "area": subscription.area.name,
        }
    if what is not None:
        return gettext("%(topic)s in the whole city") % {"topic": what.name}
    if subscription.area is not None:
        return gettext("every service in %(area)s") % {"area": subscription.area.name}
    return gettext("every service in the whole city")


def _frequency_words(frequency: str) -> str:
    if frequency == Frequency.EACH:
        return gettext("an e-mail for each new request")
    return gettext("a weekly digest")


def _email(
    *, subscription: AreaSubscription, event: str, values: dict[str, str]
) -> EmailMessage | None:
    language = _language(subscription.language)
    template = message_template_get(event=event, language=language)
    if template is None:
        return None
    stop = subscription_stop_link(token=subscription.token)
    with translation.override(language):
        values = {
            **values,
            "topic": area_subscription_topic(subscription),
            "frequency": _frequency_words(subscription.frequency),
            "stop_link": stop,
        }
    rendered = message_render(template=template, values=values)
    return stoppable_email(
        subject=rendered.subject,
        body=rendered.body,
        to=subscription.email,
        language=language,
        stop_link=stop,
    )


def _send(*, outbox_message: OutboxMessage, parts: dict[str, EmailMessage]) -> None:
    failures = email_parts_send_once(outbox_message=outbox_message, parts=parts)
    if failures:
        raise EmailNotSent(failures)


def area_subscription_confirmation_send(*, outbox_message: OutboxMessage) -> None:
    """The double opt-in's link, by e-mail or by text; nothing when confirmed or stopped
    meanwhile."""
    subscription = _subscription_by_id(outbox_message.payload["subscription_id"])
    if subscription is None or subscription.confirmed_at or subscription.stopped_at:
        return
    if subscription.phone:
        _confirmation_text(subscription)
        return
    email = _email(
        subscription=subscription,
        event=MessageEvent.AREA_CONFIRM,
        values={"confirm_link": subscription_confirm_link(token=subscription.token)},
    )
    if email is not None:
        _send(outbox_message=outbox_message, parts={"confirmation": email})


def _confirmation_text(subscription: AreaSubscription) -> None:
    language = _language(subscription.language)
    with translation.override(language):
        body = gettext(
            "To get the city's alerts about %(topic)s, open %(link)s Reply STOP to stop."
        ) % {
            "topic": area_subscription_topic(subscription),
            "link": subscription_confirm_link(token=subscription.token),
        }
    # Through the channels app like every text: kept with its contact, retried by the outbox,
    # and never sent to a number that opted out.
    sms_send(phone=subscription.phone, body=body, language=language)


def _subscription_by_id(subscription_id: int) -> AreaSubscription | None:
    return (
        AreaSubscription.objects.filter(pk=subscription_id)
        .select_related("area__layer", "service_group", "service_type")
        .first()
    )


def area_subscribers_tell_new_request(*, outbox_message: OutboxMessage) -> None:
    """A new public request: one message to each subscriber of its areas and topics who asked
    for each new request."""
    each = _live().filter(frequency=Frequency.EACH)
    # Every new request passes here: one query on the live subscriptions' index when nobody
    # asked for each new request, before anything is read of the request.
    if not each.exists():
        return
    facts = service_request_place_facts(request_id=outbox_message.payload["request_id"])
    if facts is None:
        return
    subscriptions = (
        each.filter(Q(area__isnull=True) | Q(area_id__in=facts.area_ids))
        .filter(
            Q(service_type__isnull=True, service_group__isnull=True)
            | Q(service_type_id=facts.service_type_id)
            | Q(service_group_id=facts.service_group_id)
        )
        .select_related("area", "service_group", "service_type")
    )
    parts: dict[str, EmailMessage] = {}
    for subscription in subscriptions:
        email = _email(
            subscription=subscription,
            event=MessageEvent.AREA_NEW_REQUEST,
            values={
                "tracking_number": facts.tracking_number,
                "service_name": facts.service_name,
                "tracking_link": tracking_link(tracking_number=facts.tracking_number),
            },
        )
        if email is not None:
            # One part per subscription: an address subscribed twice (a district, and a topic)
            # hears once of each subscription, each with its own stop link.
            parts[subscriber_part(event="area", email=str(subscription.token))] = email
    _send(outbox_message=outbox_message, parts=parts)


def _digest_query(subscription: AreaSubscription, since: datetime, until: datetime) -> str:
    query: dict[str, str] = {
        "start": since.date().isoformat(),
        "end": (until - timedelta(days=1)).date().isoformat(),
    }
    if subscription.area is not None:
        query["area"] = f"{subscription.area.layer.slug}:{subscription.area.code}"
    if subscription.service_type is not None:
        query["service"] = subscription.service_type.code
    elif subscription.service_group_id is not None:
        query["group"] = str(subscription.service_group_id)
    return urlencode(query)


def area_subscription_digest_send(*, outbox_message: OutboxMessage) -> None:
    """The week's new requests of the subscription's area and topic; nothing when stopped
    meanwhile, or when the week brought none."""
    payload = outbox_message.payload
    subscription = _subscription_by_id(payload["subscription_id"])
    if subscription is None or not subscription.is_subscribed:
        return
    since = datetime.fromisoformat(payload["since"])
    until = datetime.fromisoformat(payload["until"])
    filters = RequestFilters(
        service_type_ids=[subscription.service_type_id] if subscription.service_type_id else None,
        service_group_id=subscription.service_group_id,
        requested_from=since,
        requested_to=until,
    )
    count = service_request_count_in_place(filters=filters, area_id=subscription.area_id)
    if not count:
        return
    rows = service_request_page_in_place(
        filters=filters, offset=0, limit=DIGEST_LIMIT, area_id=subscription.area_id
    )
    lines = [
        " · ".join(
            part
            for part in (
                row.tracking_number,
                row.service_name,
                row.address,
                tracking_link(tracking_number=row.tracking_number),
            )
            if part
        )
        for row in rows
    ]
    email = _email(
        subscription=subscription,
        event=MessageEvent.AREA_DIGEST,
        values={
            "request_count": str(count),
            "request_list": "\n".join(lines),
            "neighborhood_link": neighborhood_link(query=_digest_query(subscription, since, until)),
        },
    )
    if email is not None:
        _send(outbox_message=outbox_message, parts={"digest": email})


class BroadcastRecipient(NamedTuple):
    subscription_id: int
    email: str
    phone: str


def area_subscribers_for_broadcast(
    *, area_id: int | None, service_group_id: int | None
) -> list[BroadcastRecipient]:
    """Who hears the city's broadcast to an area (None: the whole city) about a service group
    (None: anything): every live subscription to that area or to the whole city, about the
    group, one of its types, or every service. One per address, the oldest subscription's: a
    person subscribed twice hears once."""
    live = _live()
    if area_id is not None:
        live = live.filter(Q(area__isnull=True) | Q(area_id=area_id))
    if service_group_id is not None:
        live = live.filter(
            Q(service_group__isnull=True, service_type__isnull=True)
            | Q(service_group_id=service_group_id)
            | Q(service_type__group_id=service_group_id)
        )
    recipients, seen = [], set()
    for pk, email, phone in live.order_by("id").values_list("id", "email", "phone").iterator():
        address = email.lower() or phone
        if address not in seen:
            seen.add(address)
            recipients.append(BroadcastRecipient(pk, email, phone))
    return recipients


def area_subscription_get(*, subscription_id: int) -> AreaSubscription | None:
    return _subscription_by_id(subscription_id)


def area_subscriber_email(
    *, subscription: AreaSubscription, subject: str, body: str
) -> EmailMessage:
    """The city's own words to a subscriber by e-mail, with the one-click stop link at the foot
    and in the headers (RFC 8058), in the subscriber's language."""
    language = _language(subscription.language)
    stop = subscription_stop_link(token=subscription.token)
    with translation.override(language):
        footer = gettext(
            "You get this message because you subscribed to %(topic)s. To stop: %(link)s"
        ) % {"topic": area_subscription_topic(subscription), "link": stop}
    return stoppable_email(
        subject=subject,
        body=f"{body}\n\n-- \n{footer}\n",
        to=subscription.email,
        language=language,
        stop_link=stop,
    )


def subscriber_language(subscription: AreaSubscription) -> str:
    """The language the subscriber reads: theirs, if the pages have it, else the city's."""
    return _language(subscription.language)
