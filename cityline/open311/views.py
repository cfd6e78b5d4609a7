"""Open311 GeoReport v2 endpoints, plus mySociety's servicerequestupdates extension.

Views stay thin (`endpoint` does the parameters, jurisdiction and errors). Reads come from
selectors as plain rows; writes go through the same services as every other channel.
"""

import uuid
from datetime import timedelta, tzinfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict

from cityline.catalog.models import Agency, ServiceType
from cityline.catalog.selectors import service_type_get_with_questions, service_type_list_public
from cityline.core import clock
from cityline.integrations.selectors import agency_key_get_active
from cityline.integrations.services import agency_status_report, status_report_from_open311
from cityline.open311 import parsing
from cityline.open311.endpoint import authenticate, endpoint, unknown
from cityline.open311.errors import bad_request, not_found
from cityline.open311.forms import (
    SERVICE_CODE_MAX,
    citizen_update_submission_clean,
    service_request_submission_clean,
)
from cityline.open311.idempotency import idempotent
from cityline.open311.renderers import Document, W3CFormatter, w3c_datetime
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
from cityline.servicerequests.selectors import (
    PublicRequest,
    PublicRequestUpdate,
    request_update_latest_citizen,
    request_update_list_public,
    service_request_get_by_tracking_number,
    service_request_get_public,
    service_request_list_public,
    service_request_tracking_number_for_token,
)
from cityline.servicerequests.services.intake import service_request_create
from cityline.servicerequests.services.lifecycle import service_request_add_citizen_update

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
REQUESTS_WINDOW = timedelta(days=90)
REQUESTS_PAGE_MAX = 1000
UPDATES_WINDOW = timedelta(days=1)
UPDATES_MAX = 10_000

__all__ = [
    "discovery",
    "request_detail",
    "requests",
    "service_definition",
    "service_request_updates",
    "services",
    "token",
    "unknown",
]


# --- discovery and services ------------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, params: MultiValueDict, *, fmt: str) -> Document:
    zone = clock.city_timezone()
    latest = service_type_list_public().aggregate(
        types=Max("updated_at"), questions=Max("attributes__updated_at")
    )
    changes = [moment for moment in latest.values() if moment is not None]
    changeset = w3c_datetime(max(changes) if changes else clock.now(), zone)
    return Document(
        root="discovery",
        item=None,
        body={
            "changeset": changeset,
            "contact": f"Email {settings.DEFAULT_FROM_EMAIL} about this API.",
            "key_service": (
                "API keys for posting requests are issued by the city's 311 administrators; "
                f"ask at {settings.DEFAULT_FROM_EMAIL}."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": request.build_absolute_uri(request.path.rsplit("/", 1)[0]),
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(service_type: ServiceType) -> dict:
    return {
        "service_code": service_type.code,
        "service_name": service_type.name,
        "description": service_type.description,
        "metadata": bool(service_type.attributes.all()),
        "type": "realtime",
        "keywords": ", ".join(keyword.term for keyword in service_type.keywords.all()),
        "group": service_type.group.name if service_type.group else "",
    }


@endpoint("GET")
def services(request: HttpRequest, params: MultiValueDict, *, fmt: str) -> Document:
    return Document(
        root="services",
        item="service",
        body=[_service(service_type) for service_type in service_type_list_public()],
    )


@endpoint("GET")
def service_definition(
    request: HttpRequest, params: MultiValueDict, *, fmt: str, service_code: str
) -> Document:
    service_type = (
        service_type_get_with_questions(code=service_code)
        if len(service_code) <= SERVICE_CODE_MAX
        else None
    )
    if service_type is None:
        raise not_found(
            f"service_code {service_code[:SERVICE_CODE_MAX]!r} is not a published service"
        )
    attributes = [
        {
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description or None,
            "order": attribute.order,
            "description": attribute.description,
            "values": [{"key": value.key, "name": value.name} for value in attribute.values.all()],
        }
        for attribute in service_type.attributes.all()
    ]
    return Document(
        root="service_definition",
        item=None,
        body={"service_code": service_type.code, "attributes": attributes},
    )


# --- service requests ------------------------------------------------------------------------


def _request_rows(rows: list[PublicRequest], zone: tzinfo) -> list[dict]:
    closed = Status.CLOSED
    w3c = W3CFormatter.for_zone(zone)
    return [
        {
            "service_request_id": row.tracking_number,
            "status": "closed" if row.status == closed else "open",
            "status_notes": row.status_notes,
            "service_name": row.service_name,
            "service_code": row.service_code,
            "description": row.description,
            "agency_responsible": row.agency_name,
            "service_notice": "",
            "requested_datetime": w3c.utc_text(row.requested_at),
            "updated_datetime": w3c.utc_text(row.updated_at),
            "expected_datetime": w3c.utc_text(row.expected_at),
            "address": row.address,
            "address_id": row.address_id,
            "zipcode": row.zipcode,
            "lat": row.latitude,
            "long": row.longitude,
            "media_url": row.media_url or "",
        }
        for row in rows
    ]


def _requests_document(rows: list[dict]) -> Document:
    return Document(root="service_requests", item="request", body=rows)


def _request_list(params: MultiValueDict) -> Document:
    zone = clock.city_timezone()
    tracking_numbers = parsing.comma_list(params, "service_request_id")
    if tracking_numbers is not None:
        # The spec: with service_request_id, every other filter is ignored.
        rows = service_request_list_public(tracking_numbers=tracking_numbers)
        return _requests_document(_request_rows(rows, zone))

    statuses = parsing.comma_list(params, "status")
    is_open = None
    if statuses is not None:
        wanted = {status.lower() for status in statuses}
        unknown = wanted - {"open", "closed"}
        if unknown:
            raise bad_request(f"status {sorted(unknown)[0][:40]!r} is not open or closed")
        is_open = None if len(wanted) == 2 else "open" in wanted
    start, end = parsing.requested_window(params, now=clock.now(), zone=zone, span=REQUESTS_WINDOW)
    page_size = parsing.positive_int(
        params, "page_size", default=REQUESTS_PAGE_MAX, maximum=REQUESTS_PAGE_MAX, clamp=True
    )
    page = parsing.positive_int(params, "page", default=1, maximum=1_000_000)
    rows = service_request_list_public(
        service_codes=parsing.comma_list(params, "service_code"),
        is_open=is_open,
        requested_from=start,
        requested_to=end,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return _requests_document(_request_rows(rows, zone))


def _service_notice(request: ServiceRequest, zone: tzinfo) -> str:
    notice = f"Sent to {request.agency.name}."
    if request.expected_at is not None:
        expected = request.expected_at.astimezone(zone)
        notice += f" Expected by {expected:%B} {expected.day}, {expected:%Y}."
    return notice


def _request_create(request: HttpRequest, params: MultiValueDict) -> Document:
    api_key = authenticate(request, params)
    submission = service_request_submission_clean(params)
    created = service_request_create(
        service_type=submission.service_type,
        description=submission.description,
        location=submission.location,
        channel=Channel.OPEN311,
        answers=submission.answers,
        requester=submission.requester,
        media_urls=submission.media_urls,
        api_key=api_key,
    )
    return _requests_document(
        [
            {
                "service_request_id": created.tracking_number,
                "service_notice": _service_notice(created, clock.city_timezone()),
                "account_id": submission.requester.account_id or None,
                "token": str(created.token),
            }
        ]
    )


@endpoint("GET", "POST")
@idempotent
def requests(request: HttpRequest, params: MultiValueDict, *, fmt: str) -> Document:
    if request.method == "POST":
        return _request_create(request, params)
    return _request_list(params)


@endpoint("GET")
def request_detail(
    request: HttpRequest, params: MultiValueDict, *, fmt: str, service_request_id: str
) -> Document:
    row = service_request_get_public(tracking_number=service_request_id.strip())
    if row is None:
        raise not_found(f"service_request_id {service_request_id[:64]!r} was not found")
    return _requests_document(_request_rows([row], clock.city_timezone()))


@endpoint("GET")
def token(request: HttpRequest, params: MultiValueDict, *, fmt: str, token_id: str) -> Document:
    try:
        value = uuid.UUID(token_id.strip())
    except ValueError:
        raise not_found(f"token {token_id[:64]!r} was not found") from None
    tracking_number = service_request_tracking_number_for_token(token=value)
    if tracking_number is None:
        raise not_found(f"token {token_id[:64]!r} was not found")
    return _requests_document([{"service_request_id": tracking_number, "token": str(value)}])


# --- servicerequestupdates (mySociety's extension) -------------------------------------------

# Cityline's status (and, once closed, its resolution) as the extension names them.
_UPDATE_STATUS: dict[str, str] = {
    Status.NEW: "OPEN",
    Status.ACKNOWLEDGED: "INVESTIGATING",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.WAITING_ON_REQUESTER: "INVESTIGATING",
    Status.WAITING_ON_THIRD_PARTY: "IN_PROGRESS",
}
_CLOSED_UPDATE_STATUS: dict[str, str] = {
    Resolution.COMPLETED: "FIXED",
    Resolution.DUPLICATE: "DUPLICATE",
    Resolution.REFERRED: "NOT_COUNCILS_RESPONSIBILITY",
    Resolution.UNABLE_TO_LOCATE: "NO_FURTHER_ACTION",
    Resolution.NO_ACTION_NEEDED: "NO_FURTHER_ACTION",
    Resolution.CANCELLED: "CLOSED",
}


def update_status(status: str, resolution: str) -> str:
    if status == Status.CLOSED:
        return _CLOSED_UPDATE_STATUS.get(resolution, "CLOSED")
    return _UPDATE_STATUS.get(status, "OPEN")


def _update_rows(rows: list[PublicRequestUpdate], zone: tzinfo) -> list[dict]:
    w3c = W3CFormatter.for_zone(zone)
    return [
        {
            "update_id": str(row.public_id),
            "service_request_id": row.tracking_number,
            "status": update_status(row.status, row.resolution),
            "updated_datetime": w3c.utc_text(row.occurred_at),
            "description": row.note,
            "media_url": row.media_url,
        }
        for row in rows
    ]


def _agency_update_create(params: MultiValueDict, agency: Agency) -> Document:
    """An agency's system reporting on one of its requests with its status key
    (docs/integrations.md): applied as a status report, idempotent by its update_id."""
    submission = citizen_update_submission_clean(params, zone=clock.city_timezone())
    update_id = parsing.text(params, "update_id")
    report = status_report_from_open311(
        update_id=update_id,
        status=submission.citizen_status,
        occurred_at=submission.occurred_at,
        description=submission.note,
    )
    agency_status_report(agency=agency, tracking_number=submission.tracking_number, report=report)
    return Document(
        root="service_request_updates", item="request_update", body=[{"update_id": update_id}]
    )


def _update_create(request: HttpRequest, params: MultiValueDict) -> Document:
    agency_key = agency_key_get_active(raw_key=(params.get("api_key") or "").strip())
    if agency_key is not None:
        return _agency_update_create(params, agency_key.agency)
    api_key = authenticate(request, params)
    zone = clock.city_timezone()
    submission = citizen_update_submission_clean(params, zone=zone)
    target = service_request_get_by_tracking_number(
        tracking_number=submission.tracking_number, publicly_listed=True
    )
    if target is None:
        raise not_found(f"service_request_id {submission.tracking_number[:64]!r} was not found")
    # One transaction around the service and the read-back: the service holds the request's
    # row lock until commit, so the latest update from the public is the one just added.
    with transaction.atomic():
        target = service_request_add_citizen_update(
            request=target,
            note=submission.note,
            media_url=submission.media_url,
            via=Channel.OPEN311,
            api_key=api_key,
            at=submission.occurred_at,
            citizen_status=submission.citizen_status,
        )
        added = request_update_latest_citizen(request=target)
    if added is None:  # the service always writes one; this would be a bug, not bad input
        raise RuntimeError(f"no update recorded for {target.tracking_number}")
    return Document(
        root="service_request_updates",
        item="request_update",
        body=[{"update_id": str(added.public_id)}],
    )


@endpoint("GET", "POST")
@idempotent
def service_request_updates(request: HttpRequest, params: MultiValueDict, *, fmt: str) -> Document:
    if request.method == "POST":
        return _update_create(request, params)
    zone = clock.city_timezone()
    start, end = parsing.updates_window(
        params, now=clock.now(), zone=zone, default_span=UPDATES_WINDOW
    )
    rows = request_update_list_public(occurred_from=start, occurred_to=end, limit=UPDATES_MAX)
    return Document(
        root="service_request_updates",
        item="request_update",
        body=_update_rows(rows, zone),
    )
