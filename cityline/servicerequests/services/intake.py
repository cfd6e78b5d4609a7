"""Creating a service request: the one path every entry point takes."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Model

from cityline.accounts.models import ApiKey, User
from cityline.catalog.intake import Answer, AnswerError, answers_clean
from cityline.catalog.models import ServiceType
from cityline.catalog.routing import agency_for_request
from cityline.core import clock
from cityline.core.errors import DomainError
from cityline.core.inserts.instances import (
    PreparedInstances,
    instance_prepare,
    instances_prepare,
    prepared_instance_insert,
    prepared_instances_insert,
)
from cityline.core.models import max_length_check
from cityline.core.outbox import outbox_enqueue_prepared, outbox_prepare
from cityline.core.phones import phone_digits
from cityline.geo.selectors import location_resolve
from cityline.servicerequests import events
from cityline.servicerequests.models import (
    Attachment,
    Channel,
    Priority,
    RequestAnswer,
    RequestArea,
    Requester,
    ServiceRequest,
)
from cityline.servicerequests.tracking import tracking_number_new
from cityline.sla.services import sla_targets_freeze

TRACKING_NUMBER_ATTEMPTS = 5

_validate_media_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Location:
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    address_id: str = ""


@dataclass(frozen=True)
class RequesterDetails:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""
    wants_updates: bool = False
    # The language the requester used; their messages are written in it. Not personal data on
    # its own: a requester with only a language is no requester.
    language: str = ""

    def is_empty(self) -> bool:
        return not any(
            (
                self.first_name,
                self.last_name,
                self.email,
                self.phone,
                self.device_id,
                self.account_id,
            )
        )


def _location_check(location: Location) -> None:
    latitude, longitude = location.latitude, location.longitude
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise DomainError("latitude and longitude are given together", field=missing)
    if latitude is not None and not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise DomainError(f"{latitude!r} is not a latitude", field="latitude")
    if longitude is not None and not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise DomainError(f"{longitude!r} is not a longitude", field="longitude")
    max_length_check(ServiceRequest, "address", location.address)
    max_length_check(ServiceRequest, "address_id", location.address_id)


def _requester_check(requester: RequesterDetails) -> None:
    for detail in fields(requester):
        value = getattr(requester, detail.name)
        if isinstance(value, str):
            max_length_check(Requester, detail.name, value)
    if requester.email:
        try:
            validate_email(requester.email)
        except ValidationError:
            raise DomainError("not a valid email address", field="email") from None


def _media_urls_check(media_urls: Sequence[str]) -> None:
    for url in media_urls:
        max_length_check(Attachment, "media_url", url)
        try:
            _validate_media_url(url)
        except ValidationError:
            raise DomainError(
                f"{url[:100]!r} is not an http or https URL", field="media_url"
            ) from None


def _intake_check(
    *,
    service_type: ServiceType,
    location: Location,
    channel: str,
    answers: Mapping[str, Answer],
    requester: RequesterDetails | None,
    media_urls: Sequence[str],
    priority: str,
) -> dict[str, Answer]:
    """Refuse, naming the field, what the request could not be stored or routed with; return the
    answers as `answers_clean` normalises them. Entry points check the same first, to answer in
    their own terms (an Open311 `<errors>` document, a form's message); this holds for every one."""
    if channel not in Channel.values:
        raise DomainError(f"{channel!r} is not a channel", field="channel")
    if priority not in Priority.values:
        raise DomainError(f"{priority!r} is not a priority", field="priority")
    _location_check(location)
    if requester is not None:
        _requester_check(requester)
    _media_urls_check(media_urls)
    try:
        return answers_clean(service_type=service_type, submitted=answers)
    except AnswerError as refused:
        raise DomainError(refused.message, field=f"attribute[{refused.code}]") from None


def _under_request(rows: Sequence[Model]) -> PreparedInstances:
    """Rows of the request being created, prepared before it has a key."""
    return instances_prepare(rows, parent="request")


def service_request_create(
    *,
    service_type: ServiceType,
    description: str,
    location: Location,
    channel: str,
    answers: Mapping[str, Answer] | None = None,
    requester: RequesterDetails | None = None,
    media_urls: Sequence[str] = (),
    priority: str = Priority.NORMAL,
    created_by: User | None = None,
    api_key: ApiKey | None = None,
    proactive: bool = False,
) -> ServiceRequest:
    """Record a new request with its areas, agency, SLA due times (frozen with the policy's
    version), history and side effects.

    Input the request could not be stored or routed with raises `DomainError` naming the field,
    before anything is written.
    """
    answers = _intake_check(
        service_type=service_type,
        location=location,
        channel=channel,
        answers=answers or {},
        requester=requester,
        media_urls=media_urls,
        priority=priority,
    )
    now = clock.now()
    place = location_resolve(
        latitude=location.latitude, longitude=location.longitude, address=location.address
    )
    area_ids = [area.id for area in place.areas]
    agency = agency_for_request(service_type=service_type, answers=answers, area_ids=area_ids)
    sla = (
        sla_targets_freeze(policy=service_type.sla_policy, start=now)
        if service_type.sla_policy
        else None
    )

    request = ServiceRequest(
        service_type=service_type,
        agency=agency,
        description=description,
        priority=priority,
        channel=channel,
        latitude=place.latitude,
        longitude=place.longitude,
        address=place.address,
        address_id=location.address_id,
        zipcode=place.zipcode,
        h3_cell=place.h3_cell,
        requested_at=now,
        updated_at=now,
        sla_policy_version=sla.version if sla else None,
        acknowledge_due_at=sla.acknowledge_due_at if sla else None,
        resolve_target_at=sla.resolve_due_at if sla else None,
        expected_at=sla.resolve_due_at if sla else None,
        created_by=created_by,
        api_key=api_key,
        proactive=proactive,
    )
    # Every row is prepared before the transaction: on SQLite, what runs inside it holds up every
    # other writer. The rows under the request get its key once it is stored.
    children = [
        _under_request([RequestArea(request=request, area_id=i) for i in area_ids]),
        _under_request(
            [
                RequestAnswer(request=request, attribute_code=code, value=value)
                for code, value in answers.items()
            ]
        ),
        _under_request([Attachment(request=request, media_url=url) for url in media_urls]),
        _under_request(
            [
                Requester(
                    request=request,
                    phone_digits=phone_digits(requester.phone),
                    **requester.__dict__,
                )
            ]
            if requester is not None and not requester.is_empty()
            else []
        ),
    ]
    created_event = events.request_created_event_prepare(
        request=request, by=created_by, api_key=api_key, via=channel
    )
    created_message = outbox_prepare(topic="request.created")
    attempts = 0
    while True:
        attempts += 1
        request.tracking_number = tracking_number = tracking_number_new()
        insert = instance_prepare(request)
        try:
            with transaction.atomic():
                prepared_instance_insert(insert)
                for rows in children:
                    prepared_instances_insert(rows, parent_pk=request.pk)
                events.request_created_event(prepared=created_event, request=request)
                outbox_enqueue_prepared(created_message, payload={"request_id": request.pk})
            return request
        except IntegrityError:
            # The whole transaction is retried (no savepoint on the common path), but only for a
            # clash of the random tracking number; anything else is re-raised.
            request.pk = None
            taken = ServiceRequest.objects.filter(tracking_number=tracking_number).exists()
            if not taken or attempts >= TRACKING_NUMBER_ATTEMPTS:
                raise
