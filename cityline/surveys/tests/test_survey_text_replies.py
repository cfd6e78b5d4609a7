"""Surveys answered by text, end to end through the SMS webhook as a gateway posts: a number
alone answers the survey last texted to the number, as the survey's page would (so "not fixed"
follows the reopen rules), and is thanked in the survey's language; anything else is the SMS
conversation's, which keeps every text while a request is being filed."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from cityline.catalog.models import NotFixedAction
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.channels.models import ConversationState, SmsConversation, SmsMessage, SmsOptOut
from cityline.channels.tests.factories import sms_post, street_catalog
from cityline.core import clock
from cityline.servicerequests.models import ServiceRequest, Status
from cityline.surveys.models import Survey, SurveyChannel, SurveyKind
from cityline.surveys.services import SURVEY_TEXT_REPLY_HOURS
from cityline.surveys.tests.factories import closed_request, served_contact, surveying

pytestmark = pytest.mark.django_db

# The number the webhook's texts come from ("+1 312 555 0100"), as the city stores numbers.
PHONE = "13125550100"


@pytest.fixture(autouse=True)
def _sms_webhook_secret(settings):
    settings.CITYLINE_SMS_WEBHOOK_SECRET = "sms-secret"


def _text(body: str) -> None:
    response = sms_post(Client(), body)
    assert response.status_code == 201, response.content


def _last_reply() -> str:
    return SmsMessage.objects.filter(direction="out").latest("id").body


def _service_survey(language: str = "en", **type_fields) -> Survey:
    surveying(service_percent=100)
    closed_request(
        phone=PHONE, language=language, service_type=ServiceTypeFactory.create(**type_fields)
    )
    return Survey.objects.get(kind=SurveyKind.SERVICE)


def _contact_survey(language: str = "en") -> Survey:
    surveying(contact_percent=100)
    served_contact(phone=PHONE, language=language)
    return Survey.objects.get(kind=SurveyKind.CONTACT)


@pytest.mark.parametrize(
    ("language", "asks", "thanks"),
    [
        ("en", "Reply 1 (very badly) to 5 (very well)", "thank you for your answer"),
        ("es", "Responda del 1 (muy mal) al 5 (muy bien)", "gracias por su respuesta"),
        ("ar", "أرسل رقمًا من 1 (سيئة جدًا) إلى 5 (ممتازة)", "شكرًا على إجابتك"),
    ],
)
def test_a_score_texted_back_answers_the_contact_survey_and_is_thanked_in_its_language(
    language, asks, thanks
):
    # given
    survey = _contact_survey(language)
    asked = _last_reply()
    # when
    _text("4")
    # then
    assert survey.channel == SurveyChannel.SMS
    assert asks in asked
    assert "/survey/" in asked  # the link stays, for a comment
    survey.refresh_from_db()
    assert survey.score == 4
    assert survey.answered_at is not None
    assert survey.comment == ""
    assert thanks in _last_reply()
    assert not SmsConversation.objects.exists()


@pytest.mark.parametrize(
    ("language", "asks", "thanks"),
    [
        ("en", "Reply 1 if it was, 2 if not", "thank you for your answer"),
        ("es", "Responda 1 si se resolvió, 2 si no", "gracias por su respuesta"),
    ],
)
def test_not_fixed_texted_back_reopens_the_request_as_the_page_would(language, asks, thanks):
    # given
    survey = _service_survey(language, not_fixed_action=NotFixedAction.REOPEN)
    asked = _last_reply()
    # when
    _text("2")
    # then
    assert asks in asked
    survey.refresh_from_db()
    assert survey.fixed is False
    assert survey.not_fixed_outcome == NotFixedAction.REOPEN
    assert ServiceRequest.objects.get(pk=survey.request_id).status != Status.CLOSED
    assert thanks in _last_reply()


def test_fixed_texted_back_leaves_the_request_closed():
    # given
    survey = _service_survey()
    # when
    _text("1.")
    # then
    survey.refresh_from_db()
    assert survey.fixed is True
    assert ServiceRequest.objects.get(pk=survey.request_id).status == Status.CLOSED


def test_a_score_in_arabic_digits_is_taken():
    # given
    survey = _contact_survey("ar")
    # when
    _text("٣")
    # then
    survey.refresh_from_db()
    assert survey.score == 3


@pytest.mark.parametrize(
    ("kind", "body", "language", "help_text"),
    [
        ("contact", "7", "en", "reply with one number from 1 (very badly) to 5 (very well)"),
        ("contact", "0", "es", "envíe un solo número del 1 (muy mal) al 5 (muy bien)"),
        ("service", "3", "en", "reply 1 if it was fixed or 2 if it was not"),
        ("service", "12", "es", "envíe 1 si se resolvió o 2 si no"),
    ],
)
def test_a_number_that_is_not_an_answer_is_told_how_to_answer_and_records_nothing(
    kind, body, language, help_text
):
    # given
    survey = _contact_survey(language) if kind == "contact" else _service_survey(language)
    # when
    _text(body)
    # then
    assert help_text in _last_reply()
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert survey.score is None
    assert survey.fixed is None
    assert ServiceRequest.objects.filter(status=Status.CLOSED).count() == (
        1 if kind == "service" else 0
    )
    assert not SmsConversation.objects.exists()


def test_words_while_a_survey_is_open_start_a_conversation_and_leave_the_survey_open():
    # given
    street_catalog()
    survey = _contact_survey()
    # when
    _text("2 potholes on my street")
    # then
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert SmsConversation.objects.get().state == ConversationState.TYPE
    assert "1 Pothole" in _last_reply()


def test_a_number_with_no_survey_open_goes_to_the_conversation():
    # given
    street_catalog()
    # when
    _text("1")
    # then
    assert SmsConversation.objects.get().state == ConversationState.PROBLEM
    assert "could not tell which service" in _last_reply()


def test_a_survey_sent_longer_ago_than_the_window_is_not_answered_by_text():
    # given
    street_catalog()
    survey = _contact_survey()
    # when
    with time_machine.travel(clock.now() + timedelta(hours=SURVEY_TEXT_REPLY_HOURS, minutes=1)):
        _text("5")
    # then
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert SmsConversation.objects.exists()


def test_the_type_asked_in_a_conversation_in_progress_wins_over_an_open_survey():
    # given
    street_catalog()
    survey = _contact_survey()
    _text("There is a big pothole on my street")
    # when
    _text("1")
    # then
    conversation = SmsConversation.objects.get()
    assert conversation.state == ConversationState.PLACE
    assert conversation.service_type.code == "pothole"
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_once_the_conversation_has_filed_its_request_a_number_answers_the_survey():
    # given
    street_catalog()
    survey = _contact_survey()
    for body in ("pothole here", "1", "100 Main St", "YES"):
        _text(body)
    # when
    _text("5")
    # then
    assert SmsConversation.objects.get().state == ConversationState.FILED
    survey.refresh_from_db()
    assert survey.score == 5


def test_a_reply_answers_the_latest_open_survey_and_the_next_reply_the_one_before():
    # given
    contact_survey = _contact_survey()
    service_survey = _service_survey()
    # when
    _text("2")
    _text("1")
    # then
    service_survey.refresh_from_db()
    contact_survey.refresh_from_db()
    assert service_survey.fixed is False
    # The older survey is still open: the second reply answers it.
    assert contact_survey.score == 1


def test_a_survey_answered_is_not_answered_again_by_text():
    # given
    street_catalog()
    survey = _contact_survey()
    _text("4")
    # when
    _text("1")
    # then
    survey.refresh_from_db()
    assert survey.score == 4
    assert SmsConversation.objects.get().state == ConversationState.PROBLEM


def test_stop_while_a_survey_is_open_opts_out_and_a_later_number_records_nothing():
    # given
    survey = _contact_survey()
    # when
    _text("STOP")
    _text("5")
    # then
    assert SmsOptOut.objects.filter(phone=PHONE).exists()
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert "no more texts" in _last_reply()


def test_a_reply_from_another_number_does_not_answer_the_survey():
    # given
    survey = _contact_survey()
    # when
    response = sms_post(Client(), "5", sender="+1 312 555 0199")
    # then
    assert response.status_code == 201
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_a_survey_texted_to_a_number_written_with_spaces_and_dashes_is_answered_from_it():
    # given
    surveying(service_percent=100)
    closed_request(phone="1 (312) 555-0100")
    survey = Survey.objects.get()
    # when
    _text("1")
    # then
    assert SmsMessage.objects.filter(direction="out", phone=PHONE).exists()
    survey.refresh_from_db()
    assert survey.fixed is True
