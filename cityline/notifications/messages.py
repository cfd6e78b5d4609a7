"""The words of residents' messages: the city's templates, checked and filled in.

Templates are `string.Template` text edited by city staff in the admin, so they can reach nothing
but the fixed placeholders below, each given as a plain string already written in the reader's
language: no object, attribute or filter is in reach of an edited template.
"""

import string
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage

from cityline.notifications.models import MessageEvent, MessageTemplate

FALLBACK_LANGUAGE = "en"

# Every placeholder, and what it stands for (shown to editors in the admin and in the docs).
PLACEHOLDERS: dict[str, str] = {
    "tracking_number": "the request's tracking number",
    "service_name": "the kind of request (the service type's name)",
    "status": "the request's status in words, in the reader's language",
    "resolution": "how it was closed in words, in the reader's language (empty while open)",
    "note": "the public note that came with the change (may be empty)",
    "due_date": "the date the city promised, in words, in the reader's language",
    "tracking_link": "the address of the request's public page",
    "stop_link": "the address that stops these messages",
    "confirm_link": "the address that confirms following or subscribing (confirmations only)",
    "topic": "what a subscription is about, in words ('Streets in Council District 4')",
    "frequency": "how often a subscriber hears, in words ('each new request')",
    "request_count": "how many new requests a digest tells of",
    "request_list": "a digest's requests, one a line: number, service, address, link",
    "neighborhood_link": "the address of the neighborhood page of a subscription's area and topic",
    "survey_link": "the address of the survey's page (surveys only)",
}

_REQUEST_EVENTS = {
    MessageEvent.FOLLOW_CONFIRM,
    MessageEvent.ACKNOWLEDGED,
    MessageEvent.PUBLIC_UPDATE,
    MessageEvent.CLOSED,
}
_AREA_EVENTS = {
    MessageEvent.AREA_CONFIRM,
    MessageEvent.AREA_NEW_REQUEST,
    MessageEvent.AREA_DIGEST,
}
_SURVEY_EVENTS = {MessageEvent.SURVEY_CONTACT, MessageEvent.SURVEY_SERVICE}
# The events whose messages have a value for the placeholder; every event has the others.
_ONLY_IN: dict[str, set[MessageEvent]] = {
    "tracking_number": {*_REQUEST_EVENTS, MessageEvent.AREA_NEW_REQUEST, *_SURVEY_EVENTS},
    "service_name": {*_REQUEST_EVENTS, MessageEvent.AREA_NEW_REQUEST, *_SURVEY_EVENTS},
    "tracking_link": {*_REQUEST_EVENTS, MessageEvent.AREA_NEW_REQUEST, *_SURVEY_EVENTS},
    "status": _REQUEST_EVENTS,
    "resolution": _REQUEST_EVENTS,
    "note": _REQUEST_EVENTS,
    "due_date": _REQUEST_EVENTS,
    "confirm_link": {MessageEvent.FOLLOW_CONFIRM, MessageEvent.AREA_CONFIRM},
    "topic": _AREA_EVENTS,
    "frequency": {MessageEvent.AREA_CONFIRM},
    "request_count": {MessageEvent.AREA_DIGEST},
    "request_list": {MessageEvent.AREA_DIGEST},
    "neighborhood_link": {MessageEvent.AREA_DIGEST},
    "survey_link": _SURVEY_EVENTS,
}


def placeholders_for(event: str) -> list[str]:
    """The placeholders a template of `event` may use."""
    return [name for name in PLACEHOLDERS if name not in _ONLY_IN or event in _ONLY_IN[name]]


def message_template_errors(*, text: str, event: str) -> list[str]:
    """What is wrong with a subject or body for `event`: a `$` that starts no placeholder, or a
    placeholder that is not one of the event's. Empty when it can be sent."""
    template = string.Template(text)
    if not template.is_valid():
        return [
            "a $ must start a placeholder such as $tracking_number or ${tracking_number}; "
            "write $$ for a dollar sign"
        ]
    allowed = placeholders_for(event)
    return [
        f"${name} is not a placeholder of this message; use one of "
        + ", ".join(f"${known}" for known in allowed)
        for name in dict.fromkeys(template.get_identifiers())
        if name not in allowed
    ]


class RenderedMessage(NamedTuple):
    subject: str
    body: str


def message_template_get(*, event: str, language: str) -> MessageTemplate | None:
    """The template of `event` in `language`, or in English when the city has none in it."""
    templates = {
        t.language: t
        for t in MessageTemplate.objects.filter(
            event=event, language__in={language, FALLBACK_LANGUAGE}
        )
    }
    return templates.get(language) or templates.get(FALLBACK_LANGUAGE)


def message_render(*, template: MessageTemplate, values: dict[str, str]) -> RenderedMessage:
    """The template filled in. `safe_substitute` leaves a placeholder the admin's check would
    have refused as it is written rather than fail the message."""
    known = {name: values.get(name, "") for name in placeholders_for(template.event)}
    subject = string.Template(template.subject).safe_substitute(known)
    return RenderedMessage(
        # A line break in a subject would start a new header.
        subject=" ".join(subject.split()),
        body=string.Template(template.body).safe_substitute(known),
    )


def stoppable_email(
    *, subject: str, body: str, to: str, language: str, stop_link: str
) -> EmailMessage:
    """An e-mail to a resident that stops in one click (RFC 8058): mail providers POST to the stop
    link, with no cookie and no form, when the reader presses their own unsubscribe button."""
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{stop_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": language,
        },
    )
