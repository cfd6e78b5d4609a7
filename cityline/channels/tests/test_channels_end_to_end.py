"""The two webhooks over real HTTP, against the live server: a text's conversation filed as a
request with every reply delivered by the worker to the gateway's folder, and an e-mail with a
photo and a 30 MB attachment recorded without the attachment."""

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings

from cityline.channels.models import InboundEmail, InboundPhoto
from cityline.channels.signatures import signature_compute
from cityline.channels.tests.factories import png, sms_body, street_catalog
from cityline.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db(transaction=True)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def text(live_server, body: str) -> tuple[int, dict]:
    payload = sms_body(sender="+1 312 555 0100", body=body)
    timestamp = str(int(time.time()))
    signature = signature_compute(
        secret=settings.CITYLINE_SMS_WEBHOOK_SECRET, signed=f"{timestamp}.".encode() + payload
    )
    return _post(
        f"{live_server.url}/channels/sms/",
        payload,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Cityline-Timestamp": timestamp,
            "X-Cityline-Signature": signature,
        },
    )


def test_a_text_conversation_over_http_files_a_request_and_the_replies_reach_the_gateway(
    live_server,
):
    # given
    street_catalog()
    # when
    answers = [text(live_server, body)[0] for body in ("pothole", "1", "100 Main St", "yes")]
    # then
    assert answers == [201, 201, 201, 201]
    request = ServiceRequest.objects.get()
    folder = settings.CITYLINE_SMS_FOLDER / "new"
    sent = [json.loads(path.read_text())["body"] for path in sorted(folder.iterdir())]
    assert len(sent) == 4
    assert request.tracking_number in sent[-1]


def _multipart(
    fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content_type, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_an_e_mail_over_http_keeps_its_photo_and_refuses_its_30_mb_attachment(live_server):
    # given
    timestamp, token = str(int(time.time())), uuid.uuid4().hex
    fields = {
        "from": "Ana Ruiz <ana@example.org>",
        "to": "311@city.example",
        "subject": "Streetlight",
        "text": "The streetlight is out.",
        "timestamp": timestamp,
        "token": token,
        "signature": signature_compute(
            secret=settings.CITYLINE_EMAIL_WEBHOOK_SECRET, signed=f"{timestamp}{token}".encode()
        ),
    }
    files = {
        "attachment1": ("light.png", "image/png", png()),
        "attachment2": ("video.jpg", "image/jpeg", b"\0" * (30 * 1024 * 1024)),
    }
    body, content_type = _multipart(fields, files)
    # when
    status, answer = _post(
        f"{live_server.url}/channels/email/", body, {"Content-Type": content_type}
    )
    # then
    assert status == 201
    assert [refused["name"] for refused in answer["refused_attachments"]] == ["video.jpg"]
    email = InboundEmail.objects.get()
    assert [photo.name for photo in InboundPhoto.objects.filter(email=email)] == ["light.png"]
