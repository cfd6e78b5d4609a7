"""Outgoing texts: through the outbox to the gateway the settings name; the demo's gateway
keeps each in a folder an operator reads in the admin."""

import json

import pytest
from django.test import Client

from cityline.accounts.tests.factories import UserFactory
from cityline.channels.models import SmsOptOut
from cityline.channels.services.sms import sms_send
from cityline.channels.tests.factories import sms_post

pytestmark = pytest.mark.django_db
TEXTS = "/admin/channels/smsmessage/texts/"


class RecordingGateway:
    sent: list[dict] = []

    def send(self, *, to: str, body: str, reference: str) -> None:
        RecordingGateway.sent.append({"to": to, "body": body, "reference": reference})


def _folder_texts(settings) -> list[dict]:
    folder = settings.CITYLINE_SMS_FOLDER / "new"
    return [json.loads(path.read_text()) for path in sorted(folder.iterdir())]


def test_a_reply_reaches_the_demo_gateways_folder_once(
    settings, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sms_post(Client(), "STATUS 311-ZZZZ-ZZZZ")
    # then
    [text] = _folder_texts(settings)
    assert text["to"] == "13125550100"
    assert "No request has the number" in text["body"]


def test_the_gateway_is_the_class_the_settings_name(settings, django_capture_on_commit_callbacks):
    # given
    settings.CITYLINE_SMS_GATEWAY = f"{__name__}.RecordingGateway"
    RecordingGateway.sent = []
    # when
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_send(phone="13125550100", body="Hello", language="en")
    # then
    assert message is not None
    assert RecordingGateway.sent == [
        {"to": "13125550100", "body": "Hello", "reference": str(message.pk)}
    ]
    message.refresh_from_db()
    assert message.sent_at is not None


def test_nothing_is_sent_to_a_number_that_opted_out(settings, django_capture_on_commit_callbacks):
    # given
    SmsOptOut.objects.create(phone="13125550100")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_send(phone="13125550100", body="Hello", language="en")
    # then
    assert message is None
    assert not (settings.CITYLINE_SMS_FOLDER / "new").exists()


def test_an_operator_reads_the_outgoing_texts_newest_first(
    admin_client, django_capture_on_commit_callbacks
):
    # given
    for phone, body in (("13125550100", "First text"), ("13125550199", "Second text")):
        with django_capture_on_commit_callbacks(execute=True):
            sms_send(phone=phone, body=body, language="en")
    # when
    page = admin_client.get(TEXTS)
    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert "13125550199" in text
    assert text.index("Second text") < text.index("First text")


def test_staff_without_the_permission_are_refused_the_texts(client):
    # given
    client.force_login(UserFactory.create(is_staff=True))
    # when
    page = client.get(TEXTS)
    # then
    assert page.status_code == 403


def test_a_text_written_before_the_number_opted_out_is_not_sent(
    settings, django_capture_on_commit_callbacks
):
    # given: a reply waiting in the outbox when the resident texts STOP
    message = sms_send(phone="13125550100", body="Which is it?", language="en")
    SmsOptOut.objects.create(phone="13125550100")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(phone="13125550100", body="Stopped", language="en", even_if_opted_out=True)
    # then
    assert [text["body"] for text in _folder_texts(settings)] == ["Stopped"]
    assert message is not None
    message.refresh_from_db()
    assert message.sent_at is None
