"""Sending e-mail for outbox messages, each at most once in effect.

`email_send_once` records its intent (an `EmailDelivery` row, committed) before it hands a message
to the mail server and marks the row sent once the server accepted it. A later run for the same
outbox message and part does nothing when the row says sent; otherwise it sends again with the
same Message-ID. The one case in which a recipient gets two copies: the worker dies after the
server accepted the message and before the row was marked sent (one commit's time). The copies
carry one Message-ID, so they are recognisably the same message; no other crash, failure or
retry sends anything twice. docs/operations.md states the guarantee and how it is tested.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F

from cityline.core import clock
from cityline.core.models import OutboxMessage
from cityline.notifications.models import EmailDelivery


def email_message_id(*, outbox_message: OutboxMessage, part: str) -> str:
    """A Message-ID that only this part of this outbox message has: its id, and its creation
    time so that a database started afresh does not reuse one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "cityline.invalid"
    created = outbox_message.created_at.strftime("%Y%m%d%H%M%S%f")
    return f"<{created}.{outbox_message.pk}.{part}@{domain}>"


def email_send_once(
    *,
    outbox_message: OutboxMessage,
    part: str,
    email: EmailMessage,
    connection: BaseEmailBackend,
) -> bool:
    """Send `email` as `part` of `outbox_message` unless it was sent already; return whether it
    was sent now. Must run outside a transaction, so the record of the attempt is committed
    before the mail server sees the message. A refusal raises and leaves the part unsent."""
    now = clock.now()
    delivery, created = EmailDelivery.objects.get_or_create(
        outbox_message_id=outbox_message.pk,
        part=part,
        defaults={
            "message_id": email_message_id(outbox_message=outbox_message, part=part),
            "attempts": 1,
            "last_tried_at": now,
        },
    )
    if delivery.sent_at is not None:
        return False
    if not created:
        EmailDelivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1, last_tried_at=now
        )
    email.extra_headers["Message-ID"] = delivery.message_id
    # Opened once per handler run (a no-op when open): both parts share one SMTP session.
    connection.open()
    connection.send_messages([email])
    EmailDelivery.objects.filter(pk=delivery.pk).update(sent_at=clock.now())
    return True
