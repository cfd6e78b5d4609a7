"""The e-mail of a spike: one outbox message per 311 supervisor, sent once through the
notifications app's delivery records."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from cityline.analytics.spike_selectors import spike_mail
from cityline.analytics.spike_services import SPIKE_RAISED_TOPIC
from cityline.core.clock import to_city_time
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_handler
from cityline.notifications.services import EmailNotSent, email_parts_send_once


@outbox_handler(SPIKE_RAISED_TOPIC)
def send_spike_email(message: OutboxMessage) -> None:
    mail = spike_mail(spike_id=message.payload["spike_id"], user_id=message.payload["user_id"])
    if mail is None:
        return
    start, end = to_city_time(mail.window_start), to_city_time(mail.window_end)
    email = EmailMessage(
        subject=f"Spike: {mail.observed} {mail.service_name} requests in {mail.area_name}",
        body=(
            f"{mail.observed} requests of {mail.service_name} in {mail.area_name} from "
            f"{start:%A %d %B %H:%M} to {end:%H:%M}, where about {mail.expected:.1f} are usual.\n"
            f"The spikes are listed on the console: "
            f"{settings.CITYLINE_SITE_URL}{reverse('console:spikes')}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.email],
    )
    failures = email_parts_send_once(outbox_message=message, parts={"spike": email})
    if failures:
        raise EmailNotSent(failures)
