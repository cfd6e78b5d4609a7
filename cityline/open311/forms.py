"""Cleaning the bodies of Open311 POSTs into what the services take.

Each cleaner reads a form (urlencoded or multipart, with the query string's fields beneath it),
raises `Open311Error` (400, naming the field) on the first bad value, and returns a frozen record.
Nothing here writes: a refused POST leaves the database as it was.
"""

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.datastructures import MultiValueDict

from cityline.catalog.intake import AnswerError, answers_clean
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_for_intake
from cityline.core.models import max_length_of
from cityline.geo.cells import LATITUDE_RANGE, LONGITUDE_RANGE
from cityline.geo.selectors import city_contains_point
from cityline.open311 import parsing
from cityline.open311.errors import bad_request
from cityline.servicerequests.models import (
    Attachment,
    CitizenStatus,
    Requester,
    ServiceRequest,
)
from cityline.servicerequests.services.intake import Location, RequesterDetails

DESCRIPTION_MAX = 4000
MEDIA_URL_MAX = max_length_of(Attachment, "media_url")
MEDIA_URLS_MAX = 10
# Requester fields and their column sizes.
REQUESTER_FIELDS = {
    name: max_length_of(Requester, name)
    for name in ("first_name", "last_name", "email", "phone", "device_id", "account_id")
}
ADDRESS_MAX = max_length_of(ServiceRequest, "address")
ADDRESS_ID_MAX = max_length_of(ServiceRequest, "address_id")
SERVICE_CODE_MAX = max_length_of(ServiceType, "code")
# attribute[code]=v, and attribute[code][]=v for one value of a multi-value list.
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](?:\[\])?$")
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class ServiceRequestSubmission:
    service_type: ServiceType
    description: str
    location: Location
    answers: dict[str, str | list[str]]
    requester: RequesterDetails
    media_urls: list[str]


@dataclass(frozen=True)
class CitizenUpdateSubmission:
    tracking_number: str
    citizen_status: str
    note: str
    media_url: str
    occurred_at: datetime


def _media_url(value: str, name: str = "media_url") -> str:
    if len(value) > MEDIA_URL_MAX:
        raise bad_request(f"{name} is longer than {MEDIA_URL_MAX} characters")
    try:
        _validate_url(value)
    except ValidationError:
        raise bad_request(f"{name} is not an http or https URL") from None
    return value


def _media_urls(data: MultiValueDict) -> list[str]:
    urls = [value.strip() for value in data.getlist("media_url") if value and value.strip()]
    if len(urls) > MEDIA_URLS_MAX:
        raise bad_request(f"media_url is given more than {MEDIA_URLS_MAX} times")
    return [_media_url(url) for url in dict.fromkeys(urls)]


def _submitted_answers(data: MultiValueDict) -> dict[str, list[str]]:
    """attribute[code]=a&attribute[code]=b and attribute[code][]=a&attribute[code][]=b alike."""
    submitted: dict[str, list[str]] = {}
    for key in data:
        found = _ATTRIBUTE_KEY.match(key)
        if found:
            submitted.setdefault(found.group(1), []).extend(data.getlist(key))
    return submitted


def _requester(data: MultiValueDict) -> RequesterDetails:
    values = {
        name: parsing.text(data, name, max_length=limit) for name, limit in REQUESTER_FIELDS.items()
    }
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise bad_request("email is not a valid email address") from None
    return RequesterDetails(
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=values["email"],
        phone=values["phone"],
        device_id=values["device_id"],
        account_id=values["account_id"],
    )


def service_request_submission_clean(data: MultiValueDict) -> ServiceRequestSubmission:
    """POST requests: the service, location, description, answers, requester and media."""
    code = parsing.text(data, "service_code")
    if not code:
        raise bad_request("service_code is required")
    service_type = service_type_for_intake(code=code) if len(code) <= SERVICE_CODE_MAX else None
    if service_type is None:
        raise bad_request(
            f"service_code {code[:SERVICE_CODE_MAX]!r} is not a service that can be requested"
        )

    latitude = parsing.coordinate(data, "lat", low=LATITUDE_RANGE[0], high=LATITUDE_RANGE[1])
    longitude = parsing.coordinate(data, "long", low=LONGITUDE_RANGE[0], high=LONGITUDE_RANGE[1])
    if (latitude is None) != (longitude is None):
        raise bad_request("long is required with lat" if longitude is None else "lat is required")
    if (
        latitude is not None
        and longitude is not None
        and not city_contains_point(latitude=latitude, longitude=longitude)
    ):
        raise bad_request("lat and long are outside the city: no boundary area contains them")
    address = parsing.text(data, "address_string", max_length=ADDRESS_MAX)
    address_id = parsing.text(data, "address_id", max_length=ADDRESS_ID_MAX)
    if latitude is None and not address and not address_id:
        raise bad_request("a location is required: lat and long, address_string or address_id")

    description = parsing.text(data, "description")
    if len(description) > DESCRIPTION_MAX:
        raise bad_request(f"description is longer than {DESCRIPTION_MAX} characters")
    requester = _requester(data)
    media_urls = _media_urls(data)
    try:
        answers = answers_clean(service_type=service_type, submitted=_submitted_answers(data))
    except AnswerError as exc:
        raise bad_request(str(exc)) from None

    return ServiceRequestSubmission(
        service_type=service_type,
        description=description,
        location=Location(
            latitude=latitude, longitude=longitude, address=address, address_id=address_id
        ),
        answers=answers,
        requester=requester,
        media_urls=media_urls,
    )


def citizen_update_submission_clean(
    data: MultiValueDict, *, zone: tzinfo
) -> CitizenUpdateSubmission:
    """POST servicerequestupdates: which request, what was said, when, with what status (the
    service checks the time against the request's).

    The requester's email and names may come along; Cityline neither keeps nor returns them.
    """
    tracking_number = parsing.text(data, "service_request_id")
    if not tracking_number:
        raise bad_request("service_request_id is required")

    status = parsing.text(data, "status").upper()
    if not status:
        raise bad_request("status is required")
    if status not in CitizenStatus.values:
        raise bad_request(
            f"status {status[:40]!r} is not one of {', '.join(sorted(CitizenStatus.values))}"
        )

    raw_time = parsing.text(data, "updated_datetime")
    if not raw_time:
        raise bad_request("updated_datetime is required")
    occurred_at = parsing.w3c_datetime(raw_time, "updated_datetime", zone=zone)

    note = parsing.text(data, "description")
    if len(note) > DESCRIPTION_MAX:
        raise bad_request(f"description is longer than {DESCRIPTION_MAX} characters")
    media_urls = _media_urls(data)
    if not note and not media_urls:
        raise bad_request("description is required (or a media_url)")

    return CitizenUpdateSubmission(
        tracking_number=tracking_number,
        citizen_status=status,
        note=note,
        media_url=media_urls[0] if media_urls else "",
        occurred_at=occurred_at,
    )
