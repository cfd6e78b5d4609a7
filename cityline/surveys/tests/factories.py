"""Surveys come about as in production: a request closed through the lifecycle service, a
contact wrapped up through the contacts service, and the outbox swept."""

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.contacts.models import Contact, ContactChannel, ContactKind
from cityline.contacts.services import CallerDetails, contact_end, contact_start
from cityline.core.outbox import outbox_sweep
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request
from cityline.surveys.models import SurveySettings


def surveying(*, contact_percent: int = 0, service_percent: int = 0) -> None:
    SurveySettings.objects.update_or_create(
        pk=1, defaults={"contact_percent": contact_percent, "service_percent": service_percent}
    )


def closed_request(
    *,
    email: str = "",
    phone: str = "",
    language: str = "en",
    wants_updates: bool = True,
    service_type: ServiceType | None = None,
    resolution: str = Resolution.COMPLETED,
) -> ServiceRequest:
    request = make_request(
        service_type=service_type or ServiceTypeFactory.create(),
        requester=RequesterDetails(
            email=email, phone=phone, language=language, wants_updates=wants_updates
        ),
    )
    closed = service_request_close(
        request=request, resolution=resolution, by=None, via=Channel.STAFF
    )
    outbox_sweep()
    return closed


def served_contact(
    *,
    email: str = "",
    phone: str = "",
    language: str = "en",
    queue: str = "general",
    channel: str = ContactChannel.PHONE,
    agent_name: str = "agent",
) -> Contact:
    agent = user_with_role(Role.CALL_TAKER, username=agent_name)
    contact = contact_start(
        channel=channel,
        agent=agent,
        language=language,
        queue=queue,
        caller=CallerDetails(email=email, phone=phone),
    )
    contact = contact_end(contact=contact, kind=ContactKind.INFORMATION)
    outbox_sweep()
    return contact
