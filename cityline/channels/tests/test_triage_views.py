"""The desk's e-mail triage, at the HTTP level: the queue, one message with the types its words
suggest, filing it as a request for its sender, and closing it without one. Who may reach each
page is in the role matrix (accounts/tests/test_role_matrix.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.channels.models import EmailStatus, InboundEmail, InboundPhoto
from cityline.channels.tests.factories import email_post, png, street_catalog
from cityline.contacts.models import ContactKind, ContactRequest, RequestLink
from cityline.servicerequests.models import Attachment, Channel, ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_taker(client):
    user = user_with_role(Role.CALL_TAKER, username="taker")
    client.force_login(user)
    return user


@pytest.fixture
def waiting(client) -> InboundEmail:
    street_catalog()
    photo = SimpleUploadedFile("hole.png", png(), "image/png")
    email_post(
        client,
        subject="Big hole",
        text="There is a pothole in front of my house.",
        files={"attachment1": photo},
    )
    return InboundEmail.objects.get()


def test_the_queue_lists_waiting_messages_oldest_first(client, call_taker, waiting):
    # given
    email_post(client, subject="Second message", text="Another one")
    # when
    page = client.get("/console/desk/triage/")
    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Big hole") < text.index("Second message")
    assert "2 messages wait" in text


def test_the_desk_links_the_triage_with_how_many_wait(client, call_taker, waiting):
    # when
    page = client.get("/console/desk/")
    # then
    assert "E-mail triage: 1 message waiting" in page.content.decode()


def test_a_message_shows_its_words_and_the_types_they_suggest_first(client, call_taker, waiting):
    # when
    page = client.get(f"/console/desk/triage/{waiting.pk}/")
    # then
    text = page.content.decode()
    assert "There is a pothole in front of my house." in text
    assert 'accesskey="1"' in text and "Pothole (1)" in text
    assert 'name="service" value="pothole"' in text


def test_filing_makes_a_request_for_the_sender_with_the_photos(client, call_taker, waiting):
    # when
    response = client.post(
        f"/console/desk/triage/{waiting.pk}/file/",
        {
            "service": "pothole",
            "description": "Pothole in front of the house",
            "address": "100 Main St",
        },
        follow=True,
    )
    # then
    request = ServiceRequest.objects.get()
    assert (request.service_type.code, request.channel) == ("pothole", Channel.EMAIL)
    assert request.created_by == call_taker
    assert (request.requester.email, request.requester.wants_updates) == ("ana@example.org", True)
    assert request.requester.language == "en"
    assert f"Filed {request.tracking_number}" in response.content.decode()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.request) == (EmailStatus.FILED, request)
    contact = waiting.contact
    assert (contact.agent, contact.kind) == (call_taker, ContactKind.SERVICE_REQUEST)
    assert ContactRequest.objects.get(contact=contact).link == RequestLink.CREATED
    assert Attachment.objects.filter(request=request).exclude(photo="").count() == 1
    assert not InboundPhoto.objects.exists()


def test_filing_without_a_place_is_refused_naming_the_field(client, call_taker, waiting):
    # when
    response = client.post(
        f"/console/desk/triage/{waiting.pk}/file/",
        {"service": "pothole", "description": "Pothole"},
    )
    # then
    assert response.status_code == 400
    assert "Give the address" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == EmailStatus.WAITING


def test_filing_an_unknown_type_is_refused(client, call_taker, waiting):
    # when
    response = client.post(
        f"/console/desk/triage/{waiting.pk}/file/", {"service": "no-such-type", "address": "x"}
    )
    # then
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_a_message_is_filed_once(client, call_taker, waiting):
    # given
    data = {"service": "pothole", "description": "Pothole", "address": "100 Main St"}
    client.post(f"/console/desk/triage/{waiting.pk}/file/", data)
    # when
    response = client.post(f"/console/desk/triage/{waiting.pk}/file/", data)
    # then
    assert response.status_code == 400
    assert ServiceRequest.objects.count() == 1


def test_closing_as_a_referral_says_where_to(client, call_taker, waiting):
    # when
    refused = client.post(f"/console/desk/triage/{waiting.pk}/close/", {"kind": "referral"})
    closed = client.post(
        f"/console/desk/triage/{waiting.pk}/close/",
        {"kind": "referral", "referred_to": "State highway department"},
    )
    # then
    assert refused.status_code == 400
    assert closed.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == EmailStatus.CLOSED
    assert waiting.contact.kind == ContactKind.REFERRAL
    assert waiting.contact.referred_to == "State highway department"
    assert waiting.contact.agent == call_taker


def test_closing_as_information_takes_one_choice(client, call_taker, waiting):
    # when
    response = client.post(f"/console/desk/triage/{waiting.pk}/close/", {"kind": "information"})
    # then
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.contact.kind == ContactKind.INFORMATION


def test_an_unknown_message_is_absent(client, call_taker):
    # when
    response = client.get("/console/desk/triage/999999/")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("language", "queue_words", "message_words"),
    [
        ("es", "1 mensaje espera a una persona", "Registrar una solicitud para el remitente"),
        ("ar", "رسالة واحدة (1) تنتظر شخصًا", "سجّل طلبًا باسم المرسل"),
    ],
)
def test_the_triage_pages_speak_the_staff_members_language(
    client, call_taker, waiting, language, queue_words, message_words
):
    # when
    queue = client.get("/console/desk/triage/", headers={"accept-language": language})
    message = client.get(
        f"/console/desk/triage/{waiting.pk}/", headers={"accept-language": language}
    )
    # then
    assert queue_words in queue.content.decode()
    assert message_words in message.content.decode()
    assert "File a request for the sender" not in message.content.decode()


def test_a_handled_message_says_its_outcome_in_the_staff_members_language(
    client, call_taker, waiting
):
    # given
    client.post(f"/console/desk/triage/{waiting.pk}/close/", {"kind": ContactKind.INFORMATION})
    # when
    page = client.get(f"/console/desk/triage/{waiting.pk}/", headers={"accept-language": "es"})
    # then
    assert "Este mensaje está cerrado sin solicitud." in page.content.decode()
