"""The e-mail of an escalation: one outbox message per recipient, sent once through the
notifications app's delivery records."""

from django.conf import settings
from django.core.mail import EmailMessage

from cityline.core.clock import to_city_time
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_handler
from cityline.notifications.handlers import EmailNotSent
from cityline.notifications.services import email_parts_send_once
from cityline.sla.selectors import sla_escalation_mail


@outbox_handler("sla.escalated")
def send_escalation_email(message: OutboxMessage) -> None:
    mail = sla_escalation_mail(
        escalation_id=message.payload["escalation_id"], user_id=message.payload["user_id"]
    )
    if mail is None:
        return
    due = to_city_time(mail.due_at)
    email = EmailMessage(
        subject=f"{mail.tracking_number} {mail.level_label}: {mail.stage} by {due:%d %B %H:%M}",
        body=(
            f"Request {mail.tracking_number} ({mail.service_name}) is {mail.level_label}: it was "
            f"due to be {mail.stage}d by {due:%A %d %B %Y, %H:%M}.\n"
            "Your SLA notices are listed on the console.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.email],
    )
    failures = email_parts_send_once(outbox_message=message, parts={"escalation": email})
    if failures:
        raise EmailNotSent(failures)
