"""Reading the city's mailbox over IMAP (imaplib): each unread message is recorded
(`email_receive`) and then marked read, so the next poll skips it. A crash between the two
fetches the message again, and its Message-ID keeps it from being recorded twice."""

import imaplib
import logging
import ssl

from django.conf import settings

from cityline.channels.inbound import email_parse
from cityline.channels.services.email import email_receive
from cityline.core.errors import DomainError

logger = logging.getLogger(__name__)


def _connect() -> imaplib.IMAP4:
    host, port, timeout = (
        settings.CITYLINE_IMAP_HOST,
        settings.CITYLINE_IMAP_PORT,
        settings.CITYLINE_IMAP_TIMEOUT,
    )
    if settings.CITYLINE_IMAP_TLS == "ssl":
        return imaplib.IMAP4_SSL(
            host, port, ssl_context=ssl.create_default_context(), timeout=timeout
        )
    imap = imaplib.IMAP4(host, port, timeout=timeout)
    if settings.CITYLINE_IMAP_TLS == "starttls":
        imap.starttls(ssl.create_default_context())
    return imap


def mailbox_poll() -> int:
    """Record every unread message of the mailbox's folder; how many were new. Nothing happens
    when no mailbox is configured."""
    if not settings.CITYLINE_IMAP_HOST:
        return 0
    received = 0
    with _connect() as imap:
        imap.login(settings.CITYLINE_IMAP_USER, settings.CITYLINE_IMAP_PASSWORD)
        imap.select(settings.CITYLINE_IMAP_FOLDER)
        validity = imap.response("UIDVALIDITY")[1][0]
        _, found = imap.uid("SEARCH", "UNSEEN")
        for uid in (found[0] or b"").decode().split():
            _, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next(part[1] for part in fetched if isinstance(part, tuple))
            fallback = f"imap:{(validity or b'').decode()}:{uid}"
            try:
                result = email_receive(incoming=email_parse(raw=raw, fallback_id=fallback))
                received += result.created
            except DomainError as error:
                # A message that can never be recorded (no sender address) must not be fetched
                # again at every poll: it is marked read and left in the mailbox for a person.
                logger.warning("mail %s of the mailbox not recorded: %s", uid, error.message)
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return received
