"""The outbox handler that sends each subscriber's copy of a broadcast."""

from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_handler
from cityline.emergencies.broadcasts import DELIVER_TOPIC, broadcast_deliver


@outbox_handler(DELIVER_TOPIC)
def deliver_broadcast(message: OutboxMessage) -> None:
    broadcast_deliver(outbox_message=message)
