"""Outbox handlers that tell people about requests: the requester's receipt, the agency's alert."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from cityline.core.clock import to_city_time
from cityline.core.outbox import outbox_handler
from cityline.servicerequests.models import Requester, ServiceRequest


@outbox_handler("request.created")
def send_request_receipts(payload: dict[str, Any]) -> None:
    request = (
        ServiceRequest.objects.select_related("service_type", "agency")
        .filter(pk=payload["request_id"])
        .first()
    )
    if request is None:
        return
    due = (
        f"The city aims to respond by {to_city_time(request.expected_at):%A %d %B %Y, %H:%M}.\n"
        if request.expected_at
        else ""
    )
    requester = Requester.objects.filter(request=request).first()
    if requester is not None and requester.email:
        send_mail(
            subject=f"Your request {request.tracking_number}: {request.service_type.name}",
            message=(
                f"Thank you. Your request has been received with tracking number "
                f"{request.tracking_number}.\n{due}"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[requester.email],
        )
    if request.agency.notification_email:
        send_mail(
            subject=f"New request {request.tracking_number}: {request.service_type.name}",
            message=(
                f"{request.service_type.name} at {request.address or 'no address given'}.\n"
                f"{request.description}\n{due}"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[request.agency.notification_email],
        )
