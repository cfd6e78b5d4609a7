"""Outbox handlers that owe an agency's system a work order: a request routed to it (at intake, or
moved to it from another agency), a request of its whose status changed, a request moved away
from it (a withdrawal, so it stops work)."""

from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_handler
from cityline.integrations.models import WorkOrderEventKind
from cityline.integrations.services import work_order_event_record


@outbox_handler("request.created")
def work_order_for_new_request(message: OutboxMessage) -> None:
    work_order_event_record(outbox_message=message, kind=WorkOrderEventKind.CREATED)


@outbox_handler("request.status_changed")
def work_order_for_status_change(message: OutboxMessage) -> None:
    work_order_event_record(outbox_message=message, kind=WorkOrderEventKind.STATUS_CHANGED)


@outbox_handler("request.reassigned")
def work_orders_for_reassignment(message: OutboxMessage) -> None:
    work_order_event_record(outbox_message=message, kind=WorkOrderEventKind.CREATED)
    work_order_event_record(
        outbox_message=message,
        kind=WorkOrderEventKind.WITHDRAWN,
        agency_id=message.payload["from_agency_id"],
    )
