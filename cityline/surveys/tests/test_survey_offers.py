"""Who is asked, and how: the sample the supervisor sets, once per request and per contact,
never those who opted out, by e-mail or text, in the resident's language."""

import pytest
from django.core import mail

from cityline.channels.models import SmsMessage, SmsOptOut
from cityline.core.outbox import outbox_sweep
from cityline.servicerequests.models import Channel, Resolution
from cityline.servicerequests.services.lifecycle import (
    service_request_close,
    service_request_reopen,
)
from cityline.surveys.links import survey_stop_link
from cityline.surveys.models import Survey, SurveyChannel, SurveyKind, SurveyOptOut
from cityline.surveys.rules import recipient_digest, survey_sampled
from cityline.surveys.tests.factories import closed_request, served_contact, surveying

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("percent", [0, 10, 50, 100])
def test_the_sample_takes_about_the_share_set_and_the_same_keys_each_time(percent):
    # given
    keys = range(1, 2001)
    # when
    first = [key for key in keys if survey_sampled(kind="service", key=key, percent=percent)]
    again = [key for key in keys if survey_sampled(kind="service", key=key, percent=percent)]
    # then
    assert first == again
    assert abs(len(first) - 20 * percent) <= 60  # within 3 points of the share over 2,000 keys


def test_a_closed_request_in_the_sample_is_asked_by_e_mail_in_the_requesters_language():
    # given
    surveying(service_percent=100)
    # when
    request = closed_request(email="ana@example.org", language="es")
    # then
    survey = Survey.objects.get()
    assert (survey.kind, survey.request, survey.channel) == (
        SurveyKind.SERVICE,
        request,
        SurveyChannel.EMAIL,
    )
    asked = [m for m in mail.outbox if "¿se resolvió?" in m.subject]
    assert len(asked) == 1
    assert asked[0].to == ["ana@example.org"]
    assert "/survey/" in asked[0].body
    assert asked[0].extra_headers["Content-Language"] == "es"
    # It stops in one click from the reader's mail program (RFC 8058).
    assert asked[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        asked[0].extra_headers["List-Unsubscribe"] == f"<{survey_stop_link(survey_id=survey.pk)}>"
    )


def test_no_one_is_asked_when_the_share_is_zero():
    # given
    surveying(service_percent=0, contact_percent=0)
    # when
    closed_request(email="ana@example.org")
    served_contact(email="bo@example.org")
    # then
    assert Survey.objects.count() == 0


def test_a_request_is_asked_about_once_even_when_it_closes_again():
    # given
    surveying(service_percent=100)
    request = closed_request(email="ana@example.org")
    # when
    request = service_request_reopen(request=request, by=None, via=Channel.STAFF)
    service_request_close(
        request=request, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
    )
    outbox_sweep()
    # then
    assert Survey.objects.count() == 1
    assert len([m for m in mail.outbox if "was it fixed?" in m.subject]) == 1


def test_a_requester_who_stopped_the_requests_e_mails_is_not_asked_by_e_mail():
    # given
    surveying(service_percent=100)
    # when
    closed_request(email="ana@example.org", wants_updates=False)
    # then
    assert Survey.objects.count() == 0


def test_a_requester_who_opted_out_of_surveys_is_not_asked():
    # given
    surveying(service_percent=100)
    SurveyOptOut.objects.create(digest=recipient_digest(email="Ana@Example.org"))
    # when
    closed_request(email="ana@example.org")
    # then
    assert Survey.objects.count() == 0


def test_a_request_closed_as_a_duplicate_is_not_asked_about():
    # given
    surveying(service_percent=100)
    # when
    closed_request(email="ana@example.org", resolution=Resolution.CANCELLED)
    # then
    assert Survey.objects.count() == 0


def test_a_requester_with_only_a_phone_is_asked_by_text_in_their_language(settings):
    # given
    surveying(service_percent=100)
    # when
    request = closed_request(phone="13125550100", language="ar")
    # then
    survey = Survey.objects.get()
    assert survey.channel == SurveyChannel.SMS
    text = SmsMessage.objects.get(phone="13125550100", direction="out")
    assert request.tracking_number in text.body
    assert "هل حُلّت المشكلة؟" in text.body
    assert "/survey/" in text.body


def test_a_number_that_texted_stop_is_not_asked():
    # given
    surveying(service_percent=100)
    SmsOptOut.objects.create(phone="13125550100")
    # when
    closed_request(phone="13125550100")
    # then
    assert Survey.objects.count() == 0
    assert not SmsMessage.objects.exists()


def test_a_contact_an_agent_served_is_asked_once_with_its_team_and_channel():
    # given
    surveying(contact_percent=100)
    # when
    contact = served_contact(email="bo@example.org", queue="spanish", language="es")
    outbox_sweep()
    # then
    survey = Survey.objects.get()
    assert (survey.kind, survey.contact, survey.team, survey.contact_channel) == (
        SurveyKind.CONTACT,
        contact,
        "spanish",
        "phone",
    )
    assert survey.agent == contact.agent
    assert len([m for m in mail.outbox if "311" in m.subject]) == 1
    assert "¿Qué tal lo hicimos?" in mail.outbox[-1].subject


def test_a_contact_without_an_address_or_number_is_not_asked():
    # given
    surveying(contact_percent=100)
    # when
    served_contact()
    # then
    assert Survey.objects.count() == 0
