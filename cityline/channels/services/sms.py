"""Texts to and from residents: a short conversation that files a request (what, which type,
where, yes), STATUS <number>, STOP and START, and answers to the questions other apps ask by
text (`sms_answer_taker`). What a text is taken as, first that applies: a keyword (STOP, START);
nothing, from a number that opted out; STATUS; the next step of a conversation in progress; an
answer another app takes; a new conversation. Every text, received or sent, is stored with a
contact of its own; the conversation is stored too, so a restart loses none, and one left
unanswered for CITYLINE_SMS_CONVERSATION_MINUTES is closed."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from cityline.catalog.matching import Audience
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_for_intake
from cityline.catalog.suggestions import service_type_suggest
from cityline.channels.models import (
    OPEN_STATES,
    ConversationState,
    SmsConversation,
    SmsDirection,
    SmsMessage,
    SmsOptOut,
)
from cityline.channels.sms_words import (
    START_WORDS,
    STATUS_WORDS,
    STOP_WORDS,
    YES_WORDS,
    sms_say,
    tracking_example,
)
from cityline.channels.words import language_guess, tracking_number_find
from cityline.contacts.models import Contact, ContactChannel, ContactKind, RequestLink
from cityline.contacts.services import (
    CallerDetails,
    contact_end,
    contact_request_link,
    contact_start,
)
from cityline.core import clock
from cityline.core.errors import Conflict, DomainError, InvalidInput
from cityline.core.outbox import outbox_enqueue
from cityline.core.phones import phone_digits
from cityline.geo.geocoding import geocoder
from cityline.portal.words import RESOLUTION_WORDS, day_in_words
from cityline.portal.words import STATUS_WORDS as STATUS_IN_WORDS
from cityline.servicerequests.models import Channel, Status
from cityline.servicerequests.selectors import (
    service_request_get_by_id,
    service_request_get_tracked,
)
from cityline.servicerequests.services.intake import (
    Location,
    RequesterDetails,
    service_request_create,
)

# Ten concatenated segments: what gateways pass on as one text. Longer is not a text.
SMS_MAX_CHARS = 1600
SUGGESTIONS_OFFERED = 3
# A shared location as phones send it: "geo:41.88,-87.63", a maps link, or "41.88, -87.63".
_POINT = re.compile(r"(-?\d{1,2}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)")


@dataclass(frozen=True)
class SmsReceived:
    message: SmsMessage
    replies: list[SmsMessage]


@dataclass(frozen=True)
class SmsAnswer:
    """A text another app took as the answer to something it asked the number (a survey's
    question): the reply to send, in the language it asked in."""

    text: str
    language: str


# Called with `phone=` (digits) and `body=`: an SmsAnswer when the text answered the app's
# question, None when it was not the app's to take.
SmsAnswerTaker = Callable[..., SmsAnswer | None]
_answer_takers: list[SmsAnswerTaker] = []


def sms_answer_taker(taker: SmsAnswerTaker) -> SmsAnswerTaker:
    """Register an app's taker of answers by text (as `outbox_handler` registers handlers): the
    channels app asks it about each text that neither is a keyword nor continues a conversation
    in progress, so the apps that ask residents questions by text stay above this one."""
    _answer_takers.append(taker)
    return taker


def sms_phone_clean(phone: str) -> str:
    digits = phone_digits(phone)
    if not 7 <= len(digits) <= 15:
        raise InvalidInput("a phone number has 7 to 15 digits", field="from")
    return digits


def _opted_out(phone: str) -> bool:
    return SmsOptOut.objects.filter(phone=phone).exists()


def _contact(phone: str, language: str, at: datetime) -> Contact:
    return contact_start(
        channel=ContactChannel.SMS,
        agent=None,
        language=language,
        caller=CallerDetails(phone=phone),
        at=at,
    )


def sms_send(
    *,
    phone: str,
    body: str,
    language: str,
    conversation: SmsConversation | None = None,
    even_if_opted_out: bool = False,
) -> SmsMessage | None:
    """Store a text to a resident, with its contact, and hand it to the outbox; nothing at all
    for a number that opted out (but the one text confirming the opt-out)."""
    if not even_if_opted_out and _opted_out(phone):
        return None
    now = clock.now()
    with transaction.atomic():
        message = SmsMessage.objects.create(
            direction=SmsDirection.OUT,
            phone=phone,
            body=body,
            conversation=conversation,
            contact=_contact(phone, language, now),
        )
        outbox_enqueue(
            topic="sms.send",
            payload={"sms_id": message.pk, "even_if_opted_out": even_if_opted_out},
        )
    return message


class _Conversation:
    """One received text's effect: the replies it calls for, in the resident's language."""

    def __init__(self, *, phone: str, body: str, message: SmsMessage, language: str) -> None:
        self.phone, self.body, self.message, self.language = phone, body, message, language
        self.now = clock.now()
        self.replies: list[SmsMessage] = []

    def reply(self, text: str, conversation: SmsConversation | None = None, **flags: bool) -> None:
        sent = sms_send(
            phone=self.phone,
            body=text,
            language=self.language,
            conversation=conversation,
            **flags,
        )
        if sent is not None:
            self.replies.append(sent)

    def say(self, key: str, **values: object) -> str:
        return sms_say(key, self.language, **values)

    # Keywords.

    def stop(self) -> None:
        SmsOptOut.objects.get_or_create(phone=self.phone)
        self._open().update(state=ConversationState.ENDED, updated_at=self.now)
        self.reply(self.say("stopped"), even_if_opted_out=True)

    def start(self) -> None:
        SmsOptOut.objects.filter(phone=self.phone).delete()
        self._open().update(state=ConversationState.ENDED, updated_at=self.now)
        conversation = self._new()
        self.reply(self.say("ask_problem"), conversation)

    def status(self) -> None:
        number = tracking_number_find(self.body)
        if number is None:
            self.reply(self.say("status_how", example=tracking_example()))
            return
        tracked = service_request_get_tracked(tracking_number=number)
        if tracked is None:
            self.reply(self.say("status_unknown", number=number))
            return
        request = service_request_get_by_id(request_id=tracked.id)
        assert request is not None  # the tracked request was just read
        contact_request_link(
            contact=self.message.contact, request=request, link=RequestLink.ASKED_ABOUT
        )
        contact_end(contact=self.message.contact, kind=ContactKind.STATUS_INQUIRY)
        with translation.override(self.language):
            status = str(STATUS_IN_WORDS.get(tracked.status, tracked.status))
            if tracked.status == Status.CLOSED and tracked.resolution in RESOLUTION_WORDS:
                status = f"{status}. {RESOLUTION_WORDS[tracked.resolution]}"
            text = self.say(
                "status",
                number=tracked.tracking_number,
                service=tracked.service_name,
                status=status.rstrip("."),
            )
            if tracked.expected_at and tracked.status != Status.CLOSED:
                text += " " + self.say("due", day=day_in_words(tracked.expected_at))
        self.reply(text)

    def answered(self) -> bool:
        """Whether another app took the text as the answer to its question, and replied."""
        for taker in _answer_takers:
            answer = taker(phone=self.phone, body=self.body)
            if answer is not None:
                self.language = answer.language
                self.reply(answer.text)
                return True
        return False

    # The conversation.

    def _open(self):
        return SmsConversation.objects.filter(phone=self.phone, state__in=OPEN_STATES)

    def _new(self) -> SmsConversation:
        return SmsConversation.objects.create(
            phone=self.phone,
            language=self.language,
            state=ConversationState.PROBLEM,
            expires_at=self._expiry(),
        )

    def _expiry(self) -> datetime:
        return self.now + timedelta(minutes=settings.CITYLINE_SMS_CONVERSATION_MINUTES)

    def converse(self) -> None:
        conversation = self._open().select_for_update().first()
        if conversation is not None and conversation.expires_at <= self.now:
            conversation.state = ConversationState.TIMED_OUT
            conversation.save(update_fields=["state", "updated_at"])
            conversation = None
        if conversation is None:
            conversation = self._new()
        else:
            # The conversation goes on in the language it started in.
            self.language = conversation.language
        self.message.conversation = conversation
        self.message.save(update_fields=["conversation", "updated_at"])
        step = {
            ConversationState.PROBLEM: self._problem,
            ConversationState.TYPE: self._type,
            ConversationState.PLACE: self._place,
            ConversationState.CONFIRM: self._confirm,
        }[ConversationState(conversation.state)]
        step(conversation)
        conversation.expires_at = self._expiry()
        conversation.save()

    def _problem(self, conversation: SmsConversation) -> None:
        offered = _suggest(self.body, self.language)
        if not offered:
            self.reply(self.say("unknown_problem"), conversation)
            return
        conversation.description = self.body
        conversation.suggested = [service_type.code for service_type in offered]
        conversation.state = ConversationState.TYPE
        choices = "; ".join(f"{n} {t.name}" for n, t in enumerate(offered, start=1))
        self.reply(self.say("ask_type", choices=choices), conversation)

    def _type(self, conversation: SmsConversation) -> None:
        answer = self.body.strip()
        count = len(conversation.suggested)
        if answer == "0":
            conversation.state = ConversationState.PROBLEM
            conversation.suggested = []
            self.reply(self.say("ask_problem"), conversation)
            return
        if not answer.isdigit() or not 1 <= int(answer) <= count:
            self.reply(self.say("ask_type_again", count=count), conversation)
            return
        service_type = service_type_for_intake(code=conversation.suggested[int(answer) - 1])
        if service_type is None:  # withdrawn from the catalog meanwhile
            conversation.state = ConversationState.PROBLEM
            self.reply(self.say("unknown_problem"), conversation)
            return
        conversation.service_type = service_type
        conversation.state = ConversationState.PLACE
        self.reply(self.say("ask_place"), conversation)

    def _place(self, conversation: SmsConversation) -> None:
        point = _POINT.search(self.body)
        found = None
        if point is not None:
            latitude, longitude = float(point.group(1)), float(point.group(2))
            if -90 <= latitude <= 90 and -180 <= longitude <= 180:
                nearest = geocoder().reverse(latitude=latitude, longitude=longitude)
                address = nearest.address if nearest else f"{latitude:.5f}, {longitude:.5f}"
                found = (latitude, longitude, address)
        else:
            geocoded = geocoder().geocode(self.body)
            if geocoded is not None:
                found = (geocoded.latitude, geocoded.longitude, geocoded.address)
        if found is None:
            self.reply(self.say("place_unknown"), conversation)
            return
        conversation.latitude, conversation.longitude, conversation.address = found
        conversation.state = ConversationState.CONFIRM
        self.reply(self.say("confirm_place", address=conversation.address), conversation)

    def _confirm(self, conversation: SmsConversation) -> None:
        if _first_word(self.body) not in YES_WORDS:
            self._place(conversation)
            return
        assert conversation.service_type is not None  # the conversation's third step set it
        try:
            request = service_request_create(
                service_type=conversation.service_type,
                description=conversation.description,
                location=Location(
                    latitude=conversation.latitude,
                    longitude=conversation.longitude,
                    address=conversation.address,
                ),
                channel=Channel.SMS,
                requester=RequesterDetails(phone=self.phone, language=self.language),
            )
        except DomainError as error:
            conversation.state = ConversationState.ENDED
            self.reply(self.say("not_filed", reason=error.message), conversation)
            return
        conversation.state, conversation.request = ConversationState.FILED, request
        contact_request_link(
            contact=self.message.contact, request=request, link=RequestLink.CREATED
        )
        contact_end(contact=self.message.contact, kind=ContactKind.SERVICE_REQUEST)
        text = self.say("filed", number=request.tracking_number)
        if request.expected_at:
            with translation.override(self.language):
                text += " " + self.say("due", day=day_in_words(request.expected_at))
        self.reply(text, conversation)


def _first_word(body: str) -> str:
    words = body.split()
    return words[0].upper().strip(".!,") if words else ""


def _suggest(text: str, language: str) -> list[ServiceType]:
    """The types a text probably means that can be filed by text: a type with a question that
    must be answered is left to the other channels, which can ask it."""
    offered: list[ServiceType] = []
    for suggestion in service_type_suggest(
        text=text, language=language, limit=10, audience=Audience.PUBLIC
    ):
        service_type = service_type_for_intake(code=suggestion.code)
        if service_type is None:
            continue
        if any(a.variable and a.required for a in service_type.attributes.all()):
            continue
        offered.append(service_type)
        if len(offered) == SUGGESTIONS_OFFERED:
            break
    return offered


def sms_receive(*, phone: str, body: str, gateway_id: str) -> SmsReceived:
    """Take one text from a resident: store it (a contact), act on it, store and send the
    replies. A message id the gateway delivered before is refused (`Conflict`), nothing stored."""
    phone = sms_phone_clean(phone)
    body = body.strip()
    if not body:
        raise InvalidInput("the text is empty", field="body")
    if len(body) > SMS_MAX_CHARS:
        raise InvalidInput(f"a text has at most {SMS_MAX_CHARS} characters", field="body")
    gateway_id = gateway_id.strip()
    if not gateway_id or len(gateway_id) > 100:
        raise InvalidInput(
            "give the gateway's message id (1 to 100 characters)", field="message_id"
        )
    try:
        with transaction.atomic():
            if SmsMessage.objects.filter(gateway_id=gateway_id).exists():
                raise Conflict("this message was received already", field="message_id")
            open_conversation = SmsConversation.objects.filter(
                phone=phone, state__in=OPEN_STATES
            ).first()
            language = open_conversation.language if open_conversation else language_guess(body)
            now = clock.now()
            # A conversation in progress takes every text but the keywords: its "which type?"
            # is answered with a number too, and the resident is answering it.
            in_progress = open_conversation is not None and open_conversation.expires_at > now
            message = SmsMessage.objects.create(
                direction=SmsDirection.IN,
                phone=phone,
                body=body,
                gateway_id=gateway_id,
                contact=_contact(phone, language, now),
            )
            conversation = _Conversation(phone=phone, body=body, message=message, language=language)
            keyword = _first_word(body)
            if keyword in STOP_WORDS:
                conversation.stop()
            elif keyword in START_WORDS:
                conversation.start()
            elif _opted_out(phone):
                pass  # recorded, and answered with nothing: the number asked for no more texts
            elif keyword in STATUS_WORDS:
                conversation.status()
            elif in_progress or not conversation.answered():
                conversation.converse()
    except IntegrityError:
        # The same message, or another text from the same number, taken at the same moment by
        # another worker: the gateway sends it again and it is taken then.
        raise Conflict(
            "this message crossed another from the same number; send it again", field="message_id"
        ) from None
    return SmsReceived(message=message, replies=conversation.replies)


def sms_conversations_expire() -> int:
    """Close the conversations left unanswered past their time, telling each resident once."""
    now = clock.now()
    closed = 0
    for conversation in SmsConversation.objects.filter(state__in=OPEN_STATES, expires_at__lte=now):
        with transaction.atomic():
            # Closed once, even by two sweeps at the same time.
            taken = SmsConversation.objects.filter(
                pk=conversation.pk, state__in=OPEN_STATES, expires_at__lte=now
            ).update(state=ConversationState.TIMED_OUT, updated_at=now)
            if taken:
                sms_send(
                    phone=conversation.phone,
                    body=sms_say("timed_out", conversation.language),
                    language=conversation.language,
                    conversation=conversation,
                )
                closed += 1
    return closed
