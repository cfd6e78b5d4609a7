"""Surveys come about as in production: a request closed through the lifecycle service, a
contact wrapped up through the contacts service, and the outbox swept. The answers' page reads
answered surveys of many groups at once: `answered_survey` stores one as an answer leaves it."""

import itertools
from datetime import datetime

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.models import Agency, ServiceType
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.contacts.models import Contact, ContactChannel, ContactKind
from cityline.contacts.services import CallerDetails, contact_end, contact_start
from cityline.core import clock
from cityline.core.outbox import outbox_sweep
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request
from cityline.surveys.models import Survey, SurveyChannel, SurveyKind, SurveySettings


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


_outbox_ids = itertools.count(1)


def agency(code: str) -> Agency:
    return Agency.objects.filter(code=code).first() or AgencyFactory.create(code=code)


def answered_survey(
    *,
    agency_code: str | None = "DOT",
    service_type_code: str | None = None,
    kind: str = SurveyKind.SERVICE,
    score: int | None = None,
    fixed: bool | None = True,
    comment: str = "",
    team: str = "",
    channel: str = "web",
    answered_at: datetime | None = None,
    requester_email: str = "",
) -> Survey:
    """A survey answered, about a request of `agency_code`'s (none when None: a contact about
    no request)."""
    request = None
    service_type = None
    if agency_code is not None:
        service_type = ServiceTypeFactory.create(
            agency=agency(agency_code),
            **({"code": service_type_code} if service_type_code else {}),
        )
        request = make_request(
            service_type=service_type,
            requester=RequesterDetails(email=requester_email) if requester_email else None,
        )
    answered_at = answered_at or clock.now()
    return Survey.objects.create(
        kind=kind,
        request=request,
        channel=SurveyChannel.EMAIL,
        language="en",
        outbox_message_id=next(_outbox_ids),
        recipient_digest="digest",
        sent_at=answered_at,
        answered_at=answered_at,
        score=score,
        fixed=fixed if kind == SurveyKind.SERVICE else None,
        comment=comment,
        team=team,
        contact_channel=channel,
        agency=request.agency if request else None,
        service_type=service_type,
    )
