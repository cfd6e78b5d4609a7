"""The inbound e-mail webhook, over HTTP as providers post: each message a contact, one naming
a tracking number added to its request, the others waiting in triage; photos kept, oversized and
other attachments refused without refusing the message; bad and replayed deliveries refused."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityline.channels.models import EmailStatus, InboundEmail, InboundPhoto, WebhookReceipt
from cityline.channels.tests.factories import email_post, png
from cityline.contacts.models import Contact, ContactChannel, ContactKind, ContactRequest
from cityline.servicerequests.models import Attachment, RequestUpdate, Visibility
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_message_naming_no_request_waits_in_triage_as_an_e_mail_contact(client):
    # when
    response = email_post(client, subject="Hole", text="There is a pothole in front of my house.")
    # then
    assert response.status_code == 201
    email = InboundEmail.objects.get()
    assert email.status == EmailStatus.WAITING
    assert (email.sender, email.sender_name, email.language) == (
        "ana@example.org",
        "Ana Ruiz",
        "en",
    )
    contact = email.contact
    assert contact.channel == ContactChannel.EMAIL
    assert contact.caller_email == "ana@example.org"
    assert contact.answered_at is None and contact.kind == ""


def test_a_message_in_spanish_is_recorded_as_spanish(client):
    # when
    email_post(client, subject="Bache", text="Hay un bache en la calle frente a mi casa.")
    # then
    assert InboundEmail.objects.get().contact.language == "es"


def test_a_message_naming_a_tracking_number_is_added_to_that_request_for_staff_only(client):
    # given
    request = make_request()
    # when
    response = email_post(
        client, subject=f"Re: {request.tracking_number}", text="It got bigger, call me at 555-0100"
    )
    # then
    assert response.status_code == 201
    email = InboundEmail.objects.get()
    assert (email.status, email.request) == (EmailStatus.ATTACHED, request)
    note = RequestUpdate.objects.filter(request=request).latest("id")
    assert "It got bigger" in note.note
    assert note.visibility == Visibility.INTERNAL
    assert email.contact.kind == ContactKind.STATUS_INQUIRY
    assert ContactRequest.objects.get(contact=email.contact).request == request
    public_page = client.get(f"/track/{request.tracking_number}/")
    assert "555-0100" not in public_page.content.decode()


def test_a_photo_sent_about_a_request_becomes_one_of_its_photos(client):
    # given
    request = make_request()
    photo = SimpleUploadedFile("hole.png", png(), "image/png")
    # when
    email_post(client, subject=request.tracking_number, files={"attachment1": photo})
    # then
    assert Attachment.objects.filter(request=request).exclude(photo="").count() == 1


def test_a_waiting_message_keeps_its_photos_for_the_request_it_becomes(client):
    # given
    photo = SimpleUploadedFile("hole.png", png(), "image/png")
    # when
    email_post(client, files={"attachment1": photo})
    # then
    [kept] = InboundPhoto.objects.all()
    assert kept.name == "hole.png"
    assert bytes(kept.photo).startswith(b"\xff\xd8")  # re-encoded as a JPEG


def test_a_30_mb_attachment_is_refused_clearly_and_the_message_is_still_recorded(client):
    # given
    huge = SimpleUploadedFile("video.jpg", b"\0" * (30 * 1024 * 1024), "image/jpeg")
    photo = SimpleUploadedFile("hole.png", png(), "image/png")
    # when
    response = email_post(client, files={"attachment1": huge, "attachment2": photo})
    # then
    assert response.status_code == 201
    [refused] = response.json()["refused_attachments"]
    assert refused["name"] == "video.jpg"
    assert "larger than the 10 MB" in refused["reason"]
    email = InboundEmail.objects.get()
    assert email.refused_attachments == [refused]
    assert [p.name for p in InboundPhoto.objects.all()] == ["hole.png"]


def test_an_attachment_that_is_not_a_picture_is_refused_and_the_message_kept(client):
    # given
    document = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 ...", "application/pdf")
    # when
    response = email_post(client, files={"attachment1": document})
    # then
    assert response.status_code == 201
    assert "is not a photo" in response.json()["refused_attachments"][0]["reason"]


def test_html_only_mail_is_read_without_its_markup(client):
    # when
    email_post(client, text="", html="<p>Broken <b>streetlight</b></p>")
    # then
    assert InboundEmail.objects.get().text == "Broken streetlight"


def test_the_same_message_id_is_recorded_once(client):
    # given
    email_post(client, message_id="<m1@example.org>")
    # when
    response = email_post(client, message_id="<m1@example.org>")
    # then
    assert response.status_code == 200
    assert response.json()["new"] is False
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"secret": "not-the-secret"}, "signature"),
        ({"timestamp": int(time.time()) - 3600}, "timestamp"),
        ({"timestamp": "soon"}, "timestamp"),
    ],
)
def test_an_unsigned_or_stale_delivery_is_refused_and_nothing_is_stored(client, change, field):
    # when
    response = email_post(client, **change)
    # then
    assert response.status_code == 403
    assert field in response.json()["errors"]
    assert not InboundEmail.objects.exists()
    assert not Contact.objects.exists()


def test_a_replayed_delivery_is_refused_and_changes_nothing(client):
    # given
    email_post(client, token="t-1", message_id="<a@example.org>")
    # when
    response = email_post(client, token="t-1", message_id="<b@example.org>", subject="Other")
    # then
    assert response.status_code == 409
    assert "token" in response.json()["errors"]
    assert InboundEmail.objects.count() == 1


def test_a_malformed_delivery_names_the_field_and_stores_nothing(client):
    # when
    response = email_post(client, sender="not an address")
    # then
    assert response.status_code == 400
    assert "from" in response.json()["errors"]
    assert not InboundEmail.objects.exists()
    assert not WebhookReceipt.objects.exists()


def test_a_delivery_without_a_sender_names_the_field(client):
    # when
    response = email_post(client, sender="")
    # then
    assert response.status_code == 400
    assert "from" in response.json()["errors"]


def test_without_a_secret_configured_the_webhook_refuses_everything(client, settings):
    # given
    settings.CITYLINE_EMAIL_WEBHOOK_SECRET = ""
    # when
    response = email_post(client, secret="anything")
    # then
    assert response.status_code == 403
    assert not InboundEmail.objects.exists()
