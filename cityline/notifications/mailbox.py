"""The demo's mail server: every message kept in a Maildir folder (settings.CITYLINE_MAILDIR).

Maildir writes each message to a file of its own under `tmp/` and renames it into `new/`, so
several worker processes deliver side by side and a reader never sees half a message. Operators
read the folder in the admin (Outgoing mail); any mail client reads it too.
"""

import mailbox
from collections.abc import Sequence
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.policy import default
from typing import NamedTuple, overload

from django.conf import settings
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.core.mail.backends.base import BaseEmailBackend


def _maildir() -> mailbox.Maildir:
    return mailbox.Maildir(settings.CITYLINE_MAILDIR, create=True)


class MaildirEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[DjangoEmailMessage]) -> int:
        folder = _maildir()
        for message in email_messages:
            folder.add(message.message().as_bytes())
        return len(email_messages)


class MailboxEntry(NamedTuple):
    key: str
    date: str
    sender: str
    to: str
    subject: str
    message_id: str


def _newest_first(key: str) -> tuple[int, int]:
    # Maildir names start with the delivery time: `<seconds>.M<microseconds>P<pid>…`.
    seconds, _, rest = key.partition(".")
    micros = rest[1:].partition("P")[0] if rest.startswith("M") else "0"
    return (-int(seconds), -int(micros)) if seconds.isdigit() and micros.isdigit() else (0, 0)


class MailboxListing(Sequence[MailboxEntry]):
    """The folder's messages, newest first, for a paginator: its length is read from the folder's
    listing, and only the messages asked for are opened and parsed."""

    def __init__(self) -> None:
        self._folder = _maildir()
        self._keys = sorted(self._folder.keys(), key=_newest_first)

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> MailboxEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[MailboxEntry]: ...

    def __getitem__(self, index: int | slice) -> MailboxEntry | list[MailboxEntry]:
        if isinstance(index, int):
            return self._entry(self._keys[index])
        return [self._entry(key) for key in self._keys[index]]

    def _entry(self, key: str) -> MailboxEntry:
        headers = BytesHeaderParser(policy=default).parsebytes(self._folder.get_bytes(key))
        return MailboxEntry(
            key=key,
            date=str(headers.get("Date", "")),
            sender=str(headers.get("From", "")),
            to=str(headers.get("To", "")),
            subject=str(headers.get("Subject", "")),
            message_id=str(headers.get("Message-ID", "")),
        )


def mailbox_message(*, key: str) -> EmailMessage | None:
    """One message of the folder, or None for a key it does not hold."""
    folder = _maildir()
    try:
        raw = folder.get_bytes(key)
    except KeyError:
        return None
    message = BytesParser(policy=default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # what the `default` policy makes
    return message
