"""The outbox handler that hands texts to the gateway."""

from cityline.channels.gateways import sms_gateway
from cityline.channels.models import SmsMessage, SmsOptOut
from cityline.core import clock
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_handler


@outbox_handler("sms.send")
def send_text(message: OutboxMessage) -> None:
    """Once sent, a text is marked so; a retry after that sends nothing. A number that opted out
    after the text was written gets nothing either (the opt-out's own confirmation excepted)."""
    text = SmsMessage.objects.filter(pk=message.payload["sms_id"], sent_at__isnull=True).first()
    if text is None:
        return
    if (
        not message.payload.get("even_if_opted_out")
        and SmsOptOut.objects.filter(phone=text.phone).exists()
    ):
        return
    sms_gateway().send(to=text.phone, body=text.body, reference=str(text.pk))
    SmsMessage.objects.filter(pk=text.pk).update(sent_at=clock.now())
