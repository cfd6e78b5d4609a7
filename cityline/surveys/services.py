"""Asking residents how they were served, and what their answers do.

A survey is offered by the outbox handlers (`handlers.py`): after a contact an agent wrapped up
(`contact.ended`) and after a request closed (`request.closed`). Each offer draws its sample
(`rules.survey_sampled`), finds whom to ask and how (e-mail first, else a text), leaves out whoever
opted out, and asks at most once per contact and once per request. The e-mail is the city's
`MessageTemplate` of the survey, the text its `SmsTemplate`, both in the resident's language.

A survey sent by text is answered by replying with a number (`survey_answer_by_text`), or on its
page by the link the text also carries.
"""

import contextlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from cityline.accounts.models import User
from cityline.channels.models import SmsWording
from cityline.channels.selectors import sms_opted_out
from cityline.channels.services.sms import SmsAnswer, sms_send
from cityline.channels.sms_words import sms_say
from cityline.contacts.selectors import contact_get_by_id, contact_request_ids
from cityline.core import clock
from cityline.core.errors import Conflict, InvalidTransition
from cityline.core.models import OutboxMessage
from cityline.core.phones import phone_digits
from cityline.notifications.links import tracking_link
from cityline.notifications.messages import (
    message_render,
    message_template_get,
    stoppable_email,
)
from cityline.notifications.models import MessageEvent
from cityline.notifications.services import EmailNotSent, email_parts_send_once
from cityline.servicerequests.models import Resolution, ServiceRequest, Status
from cityline.servicerequests.selectors import service_request_get_by_id
from cityline.servicerequests.services.not_fixed import service_request_report_not_fixed
from cityline.surveys.links import survey_link, survey_stop_link
from cityline.surveys.models import (
    Survey,
    SurveyChannel,
    SurveyKind,
    SurveyOptOut,
    SurveySettings,
)
from cityline.surveys.rules import recipient_digest, survey_sampled

# A request closed as one of these is not the resident's to judge: the work goes on elsewhere.
_NOT_ASKED_AFTER = {Resolution.DUPLICATE, Resolution.CANCELLED}
_EMAIL_PART = "survey"
# A reply by text answers the survey sent to the number in the last SURVEY_TEXT_REPLY_HOURS.
SURVEY_TEXT_REPLY_HOURS = 72
# A reply that is a number alone ("4", "2.", "٣"): text with it is not taken as an answer, so
# a resident who goes on to report "2 potholes on Main St" files a request.
_NUMBER_ALONE = re.compile(r"\s*(\d{1,3})\s*[.!]?\s*")


def survey_settings_get() -> SurveySettings:
    settings_row, _created = SurveySettings.objects.get_or_create(pk=1)
    return settings_row


def survey_settings_update(
    *, by: User, contact_percent: int, service_percent: int
) -> SurveySettings:
    """The shares asked from now on; the form checks they are from 0 to 100."""
    settings_row = survey_settings_get()
    settings_row.contact_percent = contact_percent
    settings_row.service_percent = service_percent
    settings_row.updated_by = by
    settings_row.save()
    return settings_row


@dataclass(frozen=True)
class _Recipient:
    channel: str
    address: str  # an e-mail address or a phone number's digits
    language: str

    @property
    def digest(self) -> str:
        if self.channel == SurveyChannel.EMAIL:
            return recipient_digest(email=self.address)
        return recipient_digest(phone=self.address)


def _site_language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _opted_out(*, email: str = "", phone: str = "") -> bool:
    digest = recipient_digest(email=email, phone=phone)
    return SurveyOptOut.objects.filter(digest=digest).exists()


def _recipient(*, email: str, email_allowed: bool, phone: str, language: str) -> _Recipient | None:
    """E-mail first (a link is easiest to answer from), else a text; nobody who opted out of
    surveys, of the request's e-mails, or of texts (STOP)."""
    language = _site_language(language)
    # Digits, as texts are stored and as a reply's sender is matched.
    phone = phone_digits(phone)
    if email and email_allowed and not _opted_out(email=email):
        return _Recipient(channel=SurveyChannel.EMAIL, address=email, language=language)
    if phone and not sms_opted_out(phone=phone) and not _opted_out(phone=phone):
        return _Recipient(channel=SurveyChannel.SMS, address=phone, language=language)
    return None


def _email(*, survey: Survey, to: str, request: ServiceRequest | None) -> EmailMessage | None:
    event = (
        MessageEvent.SURVEY_CONTACT
        if survey.kind == SurveyKind.CONTACT
        else (MessageEvent.SURVEY_SERVICE)
    )
    template = message_template_get(event=event, language=survey.language)
    if template is None:
        return None
    stop = survey_stop_link(survey_id=survey.pk)
    values = {
        "survey_link": survey_link(survey_id=survey.pk),
        "stop_link": stop,
        "tracking_number": request.tracking_number if request else "",
        "tracking_link": tracking_link(tracking_number=request.tracking_number) if request else "",
    }
    with translation.override(survey.language):
        values["service_name"] = request.service_type.name if request else ""
    rendered = message_render(template=template, values=values)
    return stoppable_email(
        subject=rendered.subject,
        body=rendered.body,
        to=to,
        language=survey.language,
        stop_link=stop,
    )


def _text(*, survey: Survey, request: ServiceRequest | None) -> str:
    wording = (
        SmsWording.SURVEY_CONTACT
        if survey.kind == SurveyKind.CONTACT
        else (SmsWording.SURVEY_SERVICE)
    )
    return sms_say(
        wording,
        survey.language,
        link=survey_link(survey_id=survey.pk),
        number=request.tracking_number if request else "",
    )


def _send(
    *,
    outbox_message: OutboxMessage,
    fields: dict,
    recipient: _Recipient,
    request: ServiceRequest | None,
) -> Survey | None:
    """Store the survey and send it. A text is written to the outbox with the survey, in one
    transaction; an e-mail is this outbox message's part, sent once even if it is retried."""
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                **fields,
                channel=recipient.channel,
                language=recipient.language,
                recipient_digest=recipient.digest,
                outbox_message_id=outbox_message.pk,
                sent_at=clock.now(),
            )
            if recipient.channel == SurveyChannel.SMS:
                sms_send(
                    phone=recipient.address,
                    body=_text(survey=survey, request=request),
                    language=recipient.language,
                )
    except IntegrityError:
        # Asked already, by another message about the same request or contact.
        return None
    if recipient.channel == SurveyChannel.EMAIL:
        _email_send(
            outbox_message=outbox_message, survey=survey, to=recipient.address, request=request
        )
    return survey


def _email_send(
    *, outbox_message: OutboxMessage, survey: Survey, to: str, request: ServiceRequest | None
) -> None:
    email = _email(survey=survey, to=to, request=request)
    if email is None:
        return
    failures = email_parts_send_once(outbox_message=outbox_message, parts={_EMAIL_PART: email})
    if failures:
        raise EmailNotSent(failures)


def _resend_if_this_message_sent_it(
    *, outbox_message: OutboxMessage, survey: Survey, to: str, request: ServiceRequest | None
) -> None:
    """A retried outbox message whose e-mail the mail server refused: sent again, as the same
    message; a survey another message sent is not sent twice."""
    if survey.outbox_message_id == outbox_message.pk and survey.channel == SurveyChannel.EMAIL:
        _email_send(outbox_message=outbox_message, survey=survey, to=to, request=request)


def survey_offer_after_close(*, outbox_message: OutboxMessage) -> Survey | None:
    """Ask the requester of the request just closed whether it was fixed, if it falls in the
    sample. E-mail only to a requester who asked for the request's e-mails and has not stopped
    them."""
    request = service_request_get_by_id(request_id=outbox_message.payload["request_id"])
    if request is None or request.status != Status.CLOSED:
        return None
    if request.resolution in _NOT_ASKED_AFTER:
        return None
    requester = getattr(request, "requester", None)
    if requester is None:
        return None
    recipient = _recipient(
        email=requester.email,
        email_allowed=requester.wants_updates,
        phone=requester.phone,
        language=requester.language,
    )
    existing = Survey.objects.filter(kind=SurveyKind.SERVICE, request=request).first()
    if existing is not None:
        if recipient is not None:
            _resend_if_this_message_sent_it(
                outbox_message=outbox_message,
                survey=existing,
                to=recipient.address,
                request=request,
            )
        return None
    percent = survey_settings_get().service_percent
    if recipient is None or not survey_sampled(
        kind=SurveyKind.SERVICE, key=request.pk, percent=percent
    ):
        return None
    fields = {
        "kind": SurveyKind.SERVICE,
        "request": request,
        "agency_id": request.agency_id,
        "service_type_id": request.service_type_id,
        "contact_channel": request.channel,
    }
    return _send(outbox_message=outbox_message, fields=fields, recipient=recipient, request=request)


def survey_offer_after_contact(*, outbox_message: OutboxMessage) -> Survey | None:
    """Ask the resident an agent served how well they were served, if the contact falls in the
    sample: once per contact, and once per request the contact filed or asked about."""
    contact = contact_get_by_id(contact_id=outbox_message.payload["contact_id"])
    if contact is None or contact.agent_id is None:
        return None
    recipient = _recipient(
        email=contact.caller_email,
        email_allowed=True,
        phone=contact.caller_phone,
        language=contact.language,
    )
    existing = Survey.objects.filter(contact=contact).first()
    if existing is not None:
        if recipient is not None:
            _resend_if_this_message_sent_it(
                outbox_message=outbox_message, survey=existing, to=recipient.address, request=None
            )
        return None
    percent = survey_settings_get().contact_percent
    if recipient is None or not survey_sampled(
        kind=SurveyKind.CONTACT, key=contact.pk, percent=percent
    ):
        return None
    request_ids = sorted(contact_request_ids(contact_ids=[contact.pk]))
    request = service_request_get_by_id(request_id=request_ids[0]) if request_ids else None
    if (
        request is not None
        and Survey.objects.filter(kind=SurveyKind.CONTACT, request=request).exists()
    ):
        return None
    fields = {
        "kind": SurveyKind.CONTACT,
        "contact": contact,
        "request": request,
        "team": contact.queue,
        "contact_channel": contact.channel,
        "agent_id": contact.agent_id,
        "agency_id": request.agency_id if request else None,
        "service_type_id": request.service_type_id if request else None,
    }
    return _send(outbox_message=outbox_message, fields=fields, recipient=recipient, request=None)


def survey_answer(*, survey: Survey, score: int | None, fixed: bool | None, comment: str) -> Survey:
    """Record the resident's one answer. "Not fixed" goes to the request's not-fixed rule (its
    service type's: reopened, or a new linked request), as from the tracking page; when the
    rule refuses (the window passed), the answer is kept and the refusal noted."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.answered_at is not None:
            raise Conflict("this survey was answered already", field="survey")
        survey.score, survey.fixed, survey.comment = score, fixed, comment.strip()
        survey.answered_at = clock.now()
        if survey.kind == SurveyKind.SERVICE and fixed is False and survey.request is not None:
            with translation.override(survey.language):
                note = gettext("Not fixed, the requester answered the city's survey.")
            try:
                outcome = service_request_report_not_fixed(
                    request=survey.request, note=note, language=survey.language
                )
            except InvalidTransition as refusal:
                survey.not_fixed_outcome = f"refused: {refusal.message}"
            else:
                survey.not_fixed_outcome = outcome.action
        survey.save()
    return survey


def survey_opt_out(*, survey: Survey) -> None:
    """Whoever `survey` went to is never surveyed again."""
    SurveyOptOut.objects.get_or_create(digest=survey.recipient_digest)


def _open_text_survey(*, phone: str) -> Survey | None:
    """The survey a reply from `phone` answers: the latest unanswered one texted to it within
    SURVEY_TEXT_REPLY_HOURS."""
    return (
        Survey.objects.filter(
            channel=SurveyChannel.SMS,
            recipient_digest=recipient_digest(phone=phone),
            answered_at__isnull=True,
            sent_at__gte=clock.now() - timedelta(hours=SURVEY_TEXT_REPLY_HOURS),
        )
        .order_by("-sent_at", "-id")
        .first()
    )


def survey_answer_by_text(*, phone: str, body: str) -> SmsAnswer | None:
    """A text from `phone` that is a number alone, while a survey texted to it is open: recorded
    as that survey's answer, as its page records it (`survey_answer`: 1 to 5 after a contact;
    1 fixed, 2 not fixed after a close), and thanked; a number that is not one of the answers is
    told how to answer, and nothing is recorded. None for any other text, or when no survey is
    open: the text is not a survey's."""
    number = _NUMBER_ALONE.fullmatch(body)
    if number is None:
        return None
    survey = _open_text_survey(phone=phone)
    if survey is None:
        return None
    value = int(number.group(1))
    score: int | None = None
    fixed: bool | None = None
    if survey.kind == SurveyKind.CONTACT and 1 <= value <= 5:
        score = value
    elif survey.kind == SurveyKind.SERVICE and value in (1, 2):
        fixed = value == 1
    else:
        help_wording = (
            SmsWording.SURVEY_HELP_CONTACT
            if survey.kind == SurveyKind.CONTACT
            else SmsWording.SURVEY_HELP_SERVICE
        )
        return SmsAnswer(text=sms_say(help_wording, survey.language), language=survey.language)
    # Answered on its page a moment before: the page's answer stands, and is thanked.
    with contextlib.suppress(Conflict):
        survey_answer(survey=survey, score=score, fixed=fixed, comment="")
    return SmsAnswer(
        text=sms_say(SmsWording.SURVEY_THANKS, survey.language), language=survey.language
    )
