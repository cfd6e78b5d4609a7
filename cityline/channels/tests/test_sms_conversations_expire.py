from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from cityline.channels.models import ConversationState, SmsConversation, SmsMessage, SmsOptOut
from cityline.channels.services.sms import sms_conversations_expire
from cityline.channels.tests.factories import sms_post, street_catalog
from cityline.core import clock

pytestmark = pytest.mark.django_db


def test_a_conversation_past_its_time_is_closed_and_the_resident_told_once():
    # given
    street_catalog()
    sms_post(Client(), "pothole")
    # when
    with time_machine.travel(clock.now() + timedelta(minutes=31)):
        closed = sms_conversations_expire()
        again = sms_conversations_expire()
    # then
    assert (closed, again) == (1, 0)
    assert SmsConversation.objects.get().state == ConversationState.TIMED_OUT
    assert "this conversation has ended" in SmsMessage.objects.latest("id").body


def test_a_conversation_within_its_time_is_left_open():
    # given
    street_catalog()
    sms_post(Client(), "pothole")
    # when
    with time_machine.travel(clock.now() + timedelta(minutes=29)):
        closed = sms_conversations_expire()
    # then
    assert closed == 0
    assert SmsConversation.objects.get().state == ConversationState.TYPE


def test_a_number_that_opted_out_is_not_told():
    # given
    street_catalog()
    sms_post(Client(), "pothole")
    SmsOptOut.objects.create(phone="13125550100")
    sent = SmsMessage.objects.filter(direction="out").count()
    # when
    with time_machine.travel(clock.now() + timedelta(minutes=31)):
        sms_conversations_expire()
    # then
    assert SmsConversation.objects.get().state == ConversationState.TIMED_OUT
    assert SmsMessage.objects.filter(direction="out").count() == sent
