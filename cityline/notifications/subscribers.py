"""Telling residents about a request: the follower's confirmation, and one message to each
subscriber when the request changes publicly, in their language, from the city's templates.

Each subscriber's e-mail is its own part of the outbox message (`email_parts_send_once`), named by
the event and a digest of the address, so a retry after a crash or a refused address sends only
what was not sent yet.
"""

import hashlib
import uuid
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityline.accounts.selectors import user_email
from cityline.core.models import OutboxMessage
from cityline.notifications.links import follow_confirm_link, follow_stop_link, tracking_link
from cityline.notifications.messages import (
    message_render,
    message_template_get,
    stoppable_email,
)
from cityline.notifications.models import MessageEvent, MessageTemplate
from cityline.notifications.services import EmailNotSent, email_parts_send_once
from cityline.servicerequests.models import Resolution, ServiceRequest, Status
from cityline.servicerequests.selectors import (
    follower_get_by_id,
    request_subscribers,
    service_request_get_by_id,
)

# The outbox topics the lifecycle services write for public changes, and the message each gets.
TOPIC_EVENTS: dict[str, MessageEvent] = {
    "request.acknowledged": MessageEvent.ACKNOWLEDGED,
    "request.public_note": MessageEvent.PUBLIC_UPDATE,
    "request.public_status_changed": MessageEvent.PUBLIC_UPDATE,
    "request.reopened": MessageEvent.PUBLIC_UPDATE,
    "request.closed": MessageEvent.CLOSED,
}

STATUS_WORDS: dict[str, Promise] = {
    Status.NEW: _("received"),
    Status.ACKNOWLEDGED: _("acknowledged by the city"),
    Status.IN_PROGRESS: _("being worked on"),
    Status.WAITING_ON_REQUESTER: _("waiting for more information from the resident"),
    Status.WAITING_ON_THIRD_PARTY: _("waiting for another organization"),
    Status.CLOSED: _("closed"),
}
RESOLUTION_WORDS: dict[str, Promise] = {
    Resolution.COMPLETED: _("the work is done"),
    Resolution.DUPLICATE: _("it repeats another request, where the work goes on"),
    Resolution.REFERRED: _("it was passed to the organization responsible"),
    Resolution.UNABLE_TO_LOCATE: _("the crew could not find the problem"),
    Resolution.NO_ACTION_NEEDED: _("no action was needed"),
    Resolution.CANCELLED: _("it was cancelled"),
}


def _site_language(language: str) -> str:
    """The reader's language if the site speaks it (an Open311 client may send any), else the
    site's own: a message is never half in a language the site has no words for."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _due_in_words(expected_at: datetime | None) -> str:
    """In the language active: Django's own date format for it, in the city's time."""
    if expected_at is None:
        return gettext("no date set yet")
    return formats.date_format(timezone.localtime(expected_at), "DATETIME_FORMAT")


def _values(
    *,
    request: ServiceRequest,
    status: str,
    resolution: str,
    note: str,
    stop_token: uuid.UUID,
) -> dict[str, str]:
    """The placeholders' values, in the language active."""
    return {
        "tracking_number": request.tracking_number,
        "service_name": request.service_type.name,
        "status": str(STATUS_WORDS.get(status, status)),
        "resolution": str(RESOLUTION_WORDS[resolution]) if resolution in RESOLUTION_WORDS else "",
        "note": note,
        "due_date": _due_in_words(request.expected_at),
        "tracking_link": tracking_link(tracking_number=request.tracking_number),
        "stop_link": follow_stop_link(token=stop_token),
    }


def _email(
    *, template: MessageTemplate, values: dict[str, str], to: str, language: str
) -> EmailMessage:
    rendered = message_render(template=template, values=values)
    return stoppable_email(
        subject=rendered.subject,
        body=rendered.body,
        to=to,
        language=language,
        stop_link=values["stop_link"],
    )


def _send(*, outbox_message: OutboxMessage, parts: dict[str, EmailMessage]) -> None:
    failures = email_parts_send_once(outbox_message=outbox_message, parts=parts)
    if failures:
        raise EmailNotSent(failures)


def subscriber_part(*, event: str, email: str) -> str:
    """The part of an outbox message that is this subscriber's e-mail; no address kept."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]
    return f"{event}:{digest}"


def subscribers_tell(*, outbox_message: OutboxMessage) -> None:
    """One message to each subscriber of the request about the change the outbox message
    records, in their language; the person who made the change is not told of it."""
    payload = outbox_message.payload
    event = TOPIC_EVENTS[outbox_message.topic]
    request = service_request_get_by_id(request_id=payload["request_id"])
    if request is None:
        return
    author = user_email(user_id=payload["by_id"]).lower() if payload["by_id"] else ""
    templates: dict[str, MessageTemplate | None] = {}
    parts: dict[str, EmailMessage] = {}
    for subscriber in request_subscribers(request=request):
        stop_token = subscriber.follower_token or subscriber.requester_token
        if subscriber.email.lower() == author or stop_token is None:
            continue
        language = _site_language(subscriber.language)
        if language not in templates:
            templates[language] = message_template_get(event=event, language=language)
        template = templates[language]
        if template is None:
            continue
        with translation.override(language):
            values = _values(
                request=request,
                status=payload["status"],
                resolution=payload["resolution"],
                note=payload["note"],
                stop_token=stop_token,
            )
        parts[subscriber_part(event=event, email=subscriber.email)] = _email(
            template=template, values=values, to=subscriber.email, language=language
        )
    _send(outbox_message=outbox_message, parts=parts)


def follower_confirmation_send(*, outbox_message: OutboxMessage) -> None:
    """The double opt-in: the link that confirms following, to the address that asked. Nothing
    when the follower has confirmed or stopped meanwhile."""
    follower = follower_get_by_id(follower_id=outbox_message.payload["follower_id"])
    if follower is None or follower.confirmed_at is not None or follower.stopped_at is not None:
        return
    language = _site_language(follower.language)
    template = message_template_get(event=MessageEvent.FOLLOW_CONFIRM, language=language)
    if template is None:
        return
    request = follower.request
    with translation.override(language):
        values = _values(
            request=request,
            status=request.status,
            resolution=request.resolution,
            note="",
            stop_token=follower.token,
        )
    values["confirm_link"] = follow_confirm_link(token=follower.token)
    email = _email(template=template, values=values, to=follower.email, language=language)
    _send(outbox_message=outbox_message, parts={"confirmation": email})
