"""Outbox handlers that tell people about requests: the requester's receipt, the agency's alert."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from cityline.core.clock import to_city_time
from cityline.core.outbox import outbox_handler
from cityline.servicerequests.models import ServiceRequest

# What the two messages say, read in one query: a worker sends these for every new request.
_RECEIPT_FIELDS = (
    "tracking_number",
    "description",
    "address",
    "expected_at",
    "service_type__name",
    "agency__notification_email",
    "requester__email",
)


@outbox_handler("request.created")
def send_request_receipts(payload: dict[str, Any]) -> None:
    request = (
        ServiceRequest.objects.filter(pk=payload["request_id"])
        .order_by()
        .values(*_RECEIPT_FIELDS)
        .first()
    )
    if request is None:
        return
    number, type_name = request["tracking_number"], request["service_type__name"]
    due = (
        f"The city aims to respond by {to_city_time(request['expected_at']):%A %d %B %Y, %H:%M}.\n"
        if request["expected_at"]
        else ""
    )
    messages = []
    if request["requester__email"]:
        messages.append(
            EmailMessage(
                subject=f"Your request {number}: {type_name}",
                body=(
                    "Thank you. Your request has been received with tracking number "
                    f"{number}.\n{due}"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[request["requester__email"]],
            )
        )
    if request["agency__notification_email"]:
        messages.append(
            EmailMessage(
                subject=f"New request {number}: {type_name}",
                body=(
                    f"{type_name} at {request['address'] or 'no address given'}.\n"
                    f"{request['description']}\n{due}"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[request["agency__notification_email"]],
            )
        )
    # One connection for both: a mail server is asked to hand-shake once per request, not twice.
    get_connection().send_messages(messages)
