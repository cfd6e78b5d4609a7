"""Outbox handlers that tell people about requests: the requester's receipt, the agency's alert,
the follower's confirmation and the subscribers' messages on every public change; and the
subscribers of areas and topics: their confirmation, each new request, their weekly digest."""

from django.conf import settings
from django.core.mail import EmailMessage

from cityline.core.clock import to_city_time
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_handler
from cityline.notifications.area_subscriptions import (
    CONFIRM_TOPIC,
    DIGEST_TOPIC,
    area_subscribers_tell_new_request,
    area_subscription_confirmation_send,
    area_subscription_digest_send,
)
from cityline.notifications.services import EmailNotSent, email_parts_send_once
from cityline.notifications.subscribers import (
    TOPIC_EVENTS,
    follower_confirmation_send,
    subscribers_tell,
)
from cityline.servicerequests.selectors import service_request_get_notice


@outbox_handler("request.created")
def send_request_receipts(message: OutboxMessage) -> None:
    """Each e-mail is its own part: when the agency's server refuses its alert, the retry sends
    the alert again and not the receipt the requester already has."""
    notice = service_request_get_notice(request_id=message.payload["request_id"])
    if notice is None:
        return
    number, type_name = notice.tracking_number, notice.service_name
    due = (
        f"The city aims to respond by {to_city_time(notice.expected_at):%A %d %B %Y, %H:%M}.\n"
        if notice.expected_at
        else ""
    )
    emails: dict[str, EmailMessage] = {}
    if notice.requester_email:
        emails["receipt"] = EmailMessage(
            subject=f"Your request {number}: {type_name}",
            body=f"Thank you. Your request has been received with tracking number {number}.\n{due}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.requester_email],
        )
    if notice.agency_email:
        emails["agency_alert"] = EmailMessage(
            subject=f"New request {number}: {type_name}",
            body=(
                f"{type_name} at {notice.address or 'no address given'}.\n"
                f"{notice.description}\n{due}"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.agency_email],
        )
    failures = email_parts_send_once(outbox_message=message, parts=emails)
    if failures:
        raise EmailNotSent(failures)


@outbox_handler("follower.confirm")
def send_follow_confirmation(message: OutboxMessage) -> None:
    follower_confirmation_send(outbox_message=message)


def tell_subscribers(message: OutboxMessage) -> None:
    subscribers_tell(outbox_message=message)


for _topic in TOPIC_EVENTS:
    outbox_handler(_topic)(tell_subscribers)


@outbox_handler("request.created")
def tell_area_subscribers(message: OutboxMessage) -> None:
    area_subscribers_tell_new_request(outbox_message=message)


@outbox_handler(CONFIRM_TOPIC)
def send_area_subscription_confirmation(message: OutboxMessage) -> None:
    area_subscription_confirmation_send(outbox_message=message)


@outbox_handler(DIGEST_TOPIC)
def send_area_subscription_digest(message: OutboxMessage) -> None:
    area_subscription_digest_send(outbox_message=message)
