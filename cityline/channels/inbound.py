"""E-mail as it reaches the city, whichever way it came: a raw message read from the mailbox
over IMAP, or the fields a provider's inbound webhook posts; both become an `IncomingEmail`."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from email.utils import parseaddr
from html import unescape as html_unescape

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.html import strip_tags


@dataclass(frozen=True)
class IncomingEmail:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    text: str
    files: Sequence[UploadedFile] = field(default_factory=tuple)


def address_split(value: str) -> tuple[str, str]:
    """`Ana Ruiz <ana@example.org>` → ("Ana Ruiz", "ana@example.org")."""
    name, address = parseaddr(value)
    return name.strip(), address.strip().lower()


def text_of(*, plain: str, html: str) -> str:
    """The message's words: its plain text, or its HTML without the markup."""
    return (plain or html_unescape(strip_tags(html))).strip()


def email_parse(*, raw: bytes, fallback_id: str) -> IncomingEmail:
    """A raw RFC 5322 message (as IMAP fetches it). `fallback_id` keys a message without a
    Message-ID, so fetching it again does not record it twice."""
    message = BytesParser(policy=default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # what the `default` policy makes
    name, sender = address_split(str(message.get("From", "")))
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    files = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True)
        files.append(
            SimpleUploadedFile(
                part.get_filename() or "attachment",
                content if isinstance(content, bytes) else b"",
                part.get_content_type(),
            )
        )
    return IncomingEmail(
        message_id=str(message.get("Message-ID", "")).strip() or fallback_id,
        sender=sender,
        sender_name=name,
        subject=str(message.get("Subject", "")).strip(),
        text=text_of(
            plain=plain.get_content() if plain is not None else "",
            html=html.get_content() if html is not None else "",
        ),
        files=files,
    )
