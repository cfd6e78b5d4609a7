"""The SMS webhook, over HTTP as a gateway posts: the conversation that files a request, STATUS,
STOP and START, and refusals of bad, unsigned and replayed deliveries."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from cityline.channels.models import ConversationState, SmsConversation, SmsMessage, SmsOptOut
from cityline.channels.tests.factories import sms_post, street_catalog
from cityline.contacts.models import Contact, ContactChannel, ContactKind, ContactRequest
from cityline.core import clock
from cityline.servicerequests.models import Channel, ServiceRequest
from cityline.servicerequests.tests.factories import make_request_in_status

pytestmark = pytest.mark.django_db


def sms_post_ok(body: str, **kwargs):
    response = sms_post(Client(), body, **kwargs)
    assert response.status_code == 201, response.content
    return response


def _last_reply() -> str:
    return SmsMessage.objects.filter(direction="out").latest("id").body


def test_a_conversation_files_a_request_and_answers_with_its_number_and_day():
    # given
    street_catalog()
    # when
    first = sms_post_ok("There is a big pothole on my street")
    asked_type = _last_reply()
    sms_post_ok("1")
    asked_place = _last_reply()
    sms_post_ok("100 main street")
    asked_confirm = _last_reply()
    sms_post_ok("yes")
    # then
    assert first.status_code == 201
    assert "1 Pothole" in asked_type
    assert "Where is it?" in asked_place
    assert "100 MAIN ST" in asked_confirm.upper()
    request = ServiceRequest.objects.get()
    assert request.service_type.code == "pothole"
    assert request.channel == Channel.SMS
    assert request.description == "There is a big pothole on my street"
    assert request.requester.phone == "13125550100"
    filed = _last_reply()
    assert request.tracking_number in filed
    assert "The city aims to respond by" in filed
    assert SmsConversation.objects.get().state == ConversationState.FILED


def test_every_text_in_and_out_is_a_contact_and_the_filing_one_names_its_request():
    # given
    street_catalog()
    # when
    for body in ("pothole here", "1", "100 Main St", "YES"):
        sms_post_ok(body)
    # then
    texts = SmsMessage.objects.all()
    assert texts.count() == 8
    assert Contact.objects.filter(channel=ContactChannel.SMS).count() == 8
    assert {t.contact.caller_phone for t in texts} == {"13125550100"}
    filing = SmsMessage.objects.get(body="YES")
    assert filing.contact.kind == ContactKind.SERVICE_REQUEST
    assert (
        ContactRequest.objects.get(contact=filing.contact).request == ServiceRequest.objects.get()
    )


def test_the_conversation_is_held_in_spanish_when_the_resident_writes_spanish():
    # given
    street_catalog()
    # when
    sms_post_ok("Hay un bache en la calle frente a mi casa")
    # then
    assert "¿Cuál es?" in _last_reply()
    assert SmsConversation.objects.get().language == "es"


def test_a_number_out_of_range_asks_again_and_zero_starts_over():
    # given
    street_catalog()
    sms_post_ok("pothole")
    # when
    sms_post_ok("7")
    again = _last_reply()
    sms_post_ok("0")
    # then
    assert "Reply with a number from 1 to" in again
    assert "what is the problem" in _last_reply()
    assert SmsConversation.objects.get().state == ConversationState.PROBLEM


def test_an_address_not_found_is_asked_again_and_a_shared_location_is_taken():
    # given
    street_catalog()
    sms_post_ok("pothole")
    sms_post_ok("1")
    # when
    sms_post_ok("nowhere in particular")
    not_found = _last_reply()
    sms_post_ok("geo:41.85,-87.65")
    # then
    assert "could not find that address" in not_found
    conversation = SmsConversation.objects.get()
    assert conversation.state == ConversationState.CONFIRM
    assert conversation.address == "100 Main St"


def test_words_no_service_matches_are_answered_with_a_request_for_other_words():
    # given
    street_catalog()
    # when
    sms_post_ok("zzzz qqqq")
    # then
    assert "Describe it in other words" in _last_reply()
    assert not ServiceRequest.objects.exists()


def test_status_answers_the_status_and_the_day_in_words():
    # given
    request = make_request_in_status("in_progress")
    # when
    sms_post_ok(f"status {request.tracking_number.lower()}")
    # then
    reply = _last_reply()
    assert request.tracking_number in reply
    assert "Work in progress" in reply
    inquiry = SmsMessage.objects.get(direction="in").contact
    assert inquiry.kind == ContactKind.STATUS_INQUIRY
    assert ContactRequest.objects.get(contact=inquiry).request == request


def test_status_of_an_unknown_number_says_so():
    # when
    sms_post_ok("STATUS 311-ZZZZ-ZZZZ")
    # then
    assert "No request has the number 311-ZZZZ-ZZZZ" in _last_reply()


def test_stop_opts_out_and_nothing_more_is_sent_until_start(tmp_path):
    # given
    street_catalog()
    sms_post_ok("pothole")
    # when
    sms_post_ok("STOP")
    stopped = _last_reply()
    sms_post_ok("1")
    sent_after_stop = SmsMessage.objects.filter(direction="out").count()
    sms_post_ok("START")
    # then
    assert "no more texts" in stopped
    assert sent_after_stop == 2  # the question, and the opt-out's confirmation
    assert SmsMessage.objects.filter(direction="out").count() == 3
    assert not SmsOptOut.objects.exists()
    assert "what is the problem" in _last_reply()


def test_a_conversation_left_unanswered_times_out_and_the_next_text_starts_afresh():
    # given
    street_catalog()
    sms_post_ok("pothole")
    # when
    with time_machine.travel(clock.now() + timedelta(hours=2)):
        sms_post_ok("street light is out")
    # then
    states = sorted(SmsConversation.objects.values_list("state", flat=True))
    assert states == [ConversationState.TIMED_OUT, ConversationState.TYPE]
    assert "Street Light Out" in _last_reply()


def test_a_text_of_two_thousand_characters_is_refused_and_nothing_is_stored(client):
    # when
    response = sms_post(client, "x" * 2000)
    # then
    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not SmsMessage.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signature": "0" * 64}, "signature"),
        ({"timestamp": int(time.time()) - 3600}, "timestamp"),
    ],
)
def test_a_bad_signature_or_an_old_timestamp_is_refused_and_nothing_is_stored(
    client, change, field
):
    # when: a forged signature, or a correct one made an hour ago (a delivery replayed late)
    response = sms_post(client, "pothole", **change)
    # then
    assert response.status_code == 403
    assert field in response.json()["errors"]
    assert not SmsMessage.objects.exists()


def test_a_replayed_message_id_is_refused_and_changes_nothing(client):
    # given
    street_catalog()
    assert sms_post(client, "pothole", message_id="SM-1").status_code == 201
    stored = SmsMessage.objects.count()
    # when
    response = sms_post(client, "pothole", message_id="SM-1")
    # then
    assert response.status_code == 409
    assert "message_id" in response.json()["errors"]
    assert SmsMessage.objects.count() == stored


def test_a_malformed_delivery_names_the_missing_field(client):
    # when
    response = sms_post(client, "", raw=b"from=%2B13125550100&body=hello")
    # then
    assert response.status_code == 400
    assert "message_id" in response.json()["errors"]
    assert not SmsMessage.objects.exists()


def test_a_phone_number_that_is_not_one_is_refused(client):
    # when
    response = sms_post(client, "pothole", sender="hello")
    # then
    assert response.status_code == 400
    assert "from" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_the_webhook_takes_posts_only(client):
    # when
    response = client.get("/channels/sms/")
    # then
    assert response.status_code == 405
