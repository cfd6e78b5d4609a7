"""Sending e-mail for outbox messages, each at most once in effect.

`email_parts_send_once` records its intent (an `EmailDelivery` row per part, committed) before it
hands the parts to the mail server, and marks each row sent once the server accepted that part. A
later run for the same outbox message does nothing for the parts marked sent and sends the others
again with the same Message-ID. A recipient gets two copies only when the worker dies after the
server accepted a part and before its row was marked sent (one commit's time), or when a worker
still sending after its lease ran out meets the one that took over; the copies carry one
Message-ID, so they are recognisably the same message. No other crash, failure or retry sends
anything twice. docs/operations.md states the guarantee and how it is tested.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F

from cityline.core import clock
from cityline.core.models import OutboxMessage
from cityline.notifications.defaults import DEFAULTS
from cityline.notifications.models import EmailDelivery, MessageTemplate


class EmailNotSent(Exception):
    """Some parts of a message were not sent; the outbox retries them, and only them."""

    def __init__(self, failures: dict[str, Exception]) -> None:
        super().__init__("; ".join(f"{part}: {exc!r}" for part, exc in failures.items()))
        self.failures = failures


def email_message_id(*, outbox_message: OutboxMessage, part: str) -> str:
    """A Message-ID that only this part of this outbox message has: its id, and its creation
    time so that a database started afresh does not reuse one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "cityline.invalid"
    created = outbox_message.created_at.strftime("%Y%m%d%H%M%S%f")
    return f"<{created}.{outbox_message.pk}.{part}@{domain}>"


def email_parts_send_once(
    *, outbox_message: OutboxMessage, parts: dict[str, EmailMessage]
) -> dict[str, Exception]:
    """Send each part of `outbox_message` (a name and its e-mail) that was not sent already, and
    return the failures by part: a refused part does not stop the others.

    Must run outside a transaction: the record of every attempt is committed (in one write)
    before the mail server sees any of them, and each part is marked sent as soon as the server
    accepted it."""
    # On a message's first claim no run before this one can have recorded anything.
    known = (
        {
            delivery.part: delivery
            for delivery in EmailDelivery.objects.filter(
                outbox_message_id=outbox_message.pk, part__in=parts
            )
        }
        if outbox_message.attempts > 1
        else {}
    )
    unsent = [part for part in parts if part not in known or known[part].sent_at is None]
    if not unsent:
        return {}
    message_ids = {
        part: known[part].message_id
        if part in known
        else email_message_id(outbox_message=outbox_message, part=part)
        for part in unsent
    }
    now = clock.now()
    with transaction.atomic():
        EmailDelivery.objects.bulk_create(
            [
                EmailDelivery(
                    outbox_message_id=outbox_message.pk,
                    part=part,
                    message_id=message_ids[part],
                    attempts=1,
                    last_tried_at=now,
                )
                for part in unsent
                if part not in known
            ],
            # A worker that took over after a lease ran out may have written it meanwhile.
            ignore_conflicts=True,
        )
        if retried := [part for part in unsent if part in known]:
            EmailDelivery.objects.filter(
                outbox_message_id=outbox_message.pk, part__in=retried
            ).update(attempts=F("attempts") + 1, last_tried_at=now)
    failures: dict[str, Exception] = {}
    connection = get_connection()
    try:
        for part in unsent:
            email = parts[part]
            email.extra_headers["Message-ID"] = message_ids[part]
            try:
                # Opened once for all parts (a no-op when open): one SMTP session per message.
                connection.open()
                connection.send_messages([email])
            except Exception as exc:  # the other parts still go out; this one is retried
                failures[part] = exc
                continue
            EmailDelivery.objects.filter(outbox_message_id=outbox_message.pk, part=part).update(
                sent_at=clock.now()
            )
    finally:
        connection.close()
    return failures


def message_templates_add_missing() -> int:
    """Install the default words of every message the city has no template for (a new
    database, or one emptied by `flush`); the city's own are left as they are. How many were
    added."""
    have = set(MessageTemplate.objects.values_list("event", "language"))
    missing = [
        MessageTemplate(event=event, language=language, subject=subject, body=body)
        for (event, language), (subject, body) in DEFAULTS.items()
        if (event, language) not in have
    ]
    MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
