"""Signed webhook deliveries as providers send them, and the catalog and streets the SMS and
e-mail conversations name."""

import io
import itertools
import time
from urllib.parse import urlencode

from django.conf import settings
from PIL import Image

from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceGroupFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
)
from cityline.channels.signatures import signature_compute
from cityline.geo.tests.factories import AddressPointFactory
from cityline.knowledge.indexing import search_index_service_types

_tokens = itertools.count(1)


def email_post(
    client,
    *,
    sender: str = "Ana Ruiz <ana@example.org>",
    subject: str = "Big hole",
    text: str = "There is a pothole in front of my house.",
    files: dict | None = None,
    token: str | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
    **fields,
):
    """POST an inbound e-mail as a provider does: multipart, signed over timestamp and token."""
    token = token or f"token-{next(_tokens)}"
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = signature_compute(
        secret=secret or settings.CITYLINE_EMAIL_WEBHOOK_SECRET,
        signed=f"{timestamp}{token}".encode(),
    )
    data = {
        "from": sender,
        "to": "311@city.example",
        "subject": subject,
        "text": text,
        "timestamp": str(timestamp),
        "token": token,
        "signature": signature,
        **fields,
        **(files or {}),
    }
    return client.post("/channels/email/", data)


_message_ids = itertools.count(1)


def sms_body(*, sender: str, body: str, message_id: str | None = None) -> bytes:
    return urlencode(
        {
            "from": sender,
            "to": "311",
            "body": body,
            "message_id": message_id or f"SM{next(_message_ids)}",
        }
    ).encode()


def sms_post(
    client,
    body: str,
    *,
    sender: str = "+1 312 555 0100",
    message_id: str | None = None,
    timestamp: int | None = None,
    raw: bytes | None = None,
    signature: str | None = None,
):
    """POST an inbound text as a gateway does: a form, signed over the timestamp and the body."""
    payload = raw if raw is not None else sms_body(sender=sender, body=body, message_id=message_id)
    timestamp = int(time.time()) if timestamp is None else timestamp
    if signature is None:
        signature = signature_compute(
            secret=settings.CITYLINE_SMS_WEBHOOK_SECRET,
            signed=f"{timestamp}.".encode() + payload,
        )
    return client.post(
        "/channels/sms/",
        payload,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Cityline-Timestamp": str(timestamp), "X-Cityline-Signature": signature},
    )


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return out.getvalue()


def street_catalog() -> dict[str, ServiceType]:
    """Two street types residents write about, indexed for suggestions, and a street address."""
    dot = AgencyFactory.create(code="DOT")
    streets = ServiceGroupFactory.create(name="Streets")
    types = {
        "pothole": ServiceTypeFactory.create(
            code="pothole", name="Pothole", agency=dot, group=streets
        ),
        "street-light-out": ServiceTypeFactory.create(
            code="street-light-out", name="Street Light Out", agency=dot, group=streets
        ),
    }
    for code, words in {
        "pothole": ["pothole", "hole in the road", "bache"],
        "street-light-out": ["streetlight", "lamp post", "farola"],
    }.items():
        for word in words:
            ServiceTypeKeywordFactory.create(service_type=types[code], term=word)
    search_index_service_types()
    AddressPointFactory.create(address="100 Main St", latitude=41.85, longitude=-87.65)
    return types
