"""Writes of the integrations app: work orders owed, replays, agency keys, status reports."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from cityline.accounts.audit import audit_record
from cityline.accounts.models import User
from cityline.catalog.models import Agency
from cityline.core import clock
from cityline.core.errors import Conflict, InvalidInput, NotFound
from cityline.core.models import OutboxMessage, max_length_of
from cityline.integrations.models import (
    AgencyIntegration,
    AgencyKey,
    AgencyStatusEvent,
    AgencyStatusKind,
    DeliveryStatus,
    WorkOrderEvent,
    WorkOrderEventKind,
)
from cityline.integrations.selectors import agency_integration_get_enabled
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status, Visibility
from cityline.servicerequests.selectors import (
    service_request_get_by_id,
    service_request_get_by_tracking_number,
)
from cityline.servicerequests.services.lifecycle import (
    CLOCK_SKEW,
    service_request_add_note,
    service_request_change_status,
    service_request_close,
)

SCHEMA = "cityline.work_order/1"
# Idempotency keys are derived from the outbox message, so a handler run twice records one event.
_KEY_NAMESPACE = uuid.UUID("8f5b0c8e-3c2e-4b7a-9a53-0c1f3f0d6a11")
_SEQUENCE_ATTEMPTS = 5


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _work_order_body(
    *,
    request: ServiceRequest,
    kind: str,
    key: str,
    sequence: int,
    message: OutboxMessage,
    agency: Agency,
) -> dict[str, Any]:
    """The work order (its JSON schema is in docs/integrations.md). No requester's details:
    the agency gets the work, not the person."""
    payload = message.payload
    return {
        "schema": SCHEMA,
        "event": {
            "id": key,
            "type": kind,
            "sequence": sequence,
            "occurred_at": _iso(message.created_at),
        },
        "agency": {"code": agency.code},
        "request": {
            "tracking_number": request.tracking_number,
            "service_code": request.service_type.code,
            "service_name": request.service_type.name,
            "description": request.description,
            "status": payload.get("status", request.status),
            "resolution": payload.get("resolution", request.resolution),
            "priority": request.priority,
            "address": request.address,
            "latitude": request.latitude,
            "longitude": request.longitude,
            "requested_at": _iso(request.requested_at),
            "expected_at": _iso(request.expected_at),
        },
    }


def work_order_event_record(
    *, outbox_message: OutboxMessage, kind: str, agency_id: int | None = None
) -> WorkOrderEvent | None:
    """Record the work order an outbox message owes an agency (the request's own, unless
    `agency_id` names the one it moved away from), if that agency has an enabled integration, as
    the request's next event. Run again for the same message, it records nothing more."""
    name = f"{outbox_message.created_at.isoformat()}/{outbox_message.pk}"
    # One message may owe two agencies a work order (a request moved between them).
    if kind == WorkOrderEventKind.WITHDRAWN:
        name += "/withdrawn"
    key = str(uuid.uuid5(_KEY_NAMESPACE, name))
    existing = WorkOrderEvent.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    request = service_request_get_by_id(request_id=outbox_message.payload["request_id"])
    if request is None or request.agency_id is None:
        return None
    integration = agency_integration_get_enabled(agency_id=agency_id or request.agency_id)
    if integration is None:
        return None
    for attempt in range(1, _SEQUENCE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                last = WorkOrderEvent.objects.filter(request=request).aggregate(n=Max("sequence"))
                sequence = (last["n"] or 0) + 1
                now = clock.now()
                return WorkOrderEvent.objects.create(
                    integration=integration,
                    request=request,
                    kind=kind,
                    sequence=sequence,
                    idempotency_key=key,
                    body=_work_order_body(
                        request=request,
                        kind=kind,
                        key=key,
                        sequence=sequence,
                        message=outbox_message,
                        agency=integration.agency,
                    ),
                    created_at=now,
                    next_attempt_at=now,
                )
        except IntegrityError:
            # Another worker recorded this message's event, or took the sequence number.
            existing = WorkOrderEvent.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return existing
            if attempt == _SEQUENCE_ATTEMPTS:
                raise
    return None


def work_order_replay(*, event: WorkOrderEvent, by: User, ip: str | None) -> WorkOrderEvent:
    """Send a dead-lettered event again from its first attempt, and audit who did; the later
    events of its request follow it once it is acknowledged."""
    with transaction.atomic():
        now = clock.now()
        requeued = WorkOrderEvent.objects.filter(pk=event.pk, status=DeliveryStatus.DEAD).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, created_at=now
        )
        if not requeued:
            raise Conflict("only a dead-lettered work order can be replayed", field="event")
        audit_record(
            actor=by,
            action="work_order.replayed",
            target=event,
            details={
                "agency": event.integration.agency.code,
                "idempotency_key": event.idempotency_key,
                "sequence": event.sequence,
                "attempts": event.attempts,
                "last_error": event.last_error,
            },
            ip=ip,
        )
    event.refresh_from_db()
    return event


def agency_integration_connect(
    *, agency: Agency, endpoint_url: str, timeout_seconds: int = 10
) -> AgencyIntegration:
    """Send the agency's work orders to `endpoint_url`, with a new signing secret if it has none."""
    integration, _ = AgencyIntegration.objects.update_or_create(
        agency=agency,
        defaults={
            "endpoint_url": endpoint_url,
            "timeout_seconds": timeout_seconds,
            "enabled": True,
        },
        create_defaults={
            "endpoint_url": endpoint_url,
            "timeout_seconds": timeout_seconds,
            "signing_secret": secrets.token_urlsafe(32),
        },
    )
    return integration


def agency_key_create(*, agency: Agency) -> tuple[AgencyKey, str]:
    """Issue a status key for the agency's system; return the row and the raw key, which is never
    stored or shown again."""
    raw_key = "ag_" + secrets.token_urlsafe(24)
    key = AgencyKey.objects.create(
        agency=agency, key_hash=AgencyKey.hash_key(raw_key), key_prefix=raw_key[:8]
    )
    return key, raw_key


@dataclass(frozen=True)
class StatusReport:
    """What an agency's system reports about one of its requests."""

    event_id: str
    occurred_at: datetime
    status: str
    resolution: str = ""
    public_note: str = ""
    internal_note: str = ""


# mySociety's update statuses, as an agency's system sends them through Open311's
# servicerequestupdates, and the status (and resolution) each reports.
OPEN311_STATUSES: dict[str, tuple[str, str]] = {
    "OPEN": (AgencyStatusKind.ACKNOWLEDGED, ""),
    "INVESTIGATING": (AgencyStatusKind.ACKNOWLEDGED, ""),
    "FOR_TRIAGE": (AgencyStatusKind.ACKNOWLEDGED, ""),
    "IN_PROGRESS": (AgencyStatusKind.IN_PROGRESS, ""),
    "ACTION_SCHEDULED": (AgencyStatusKind.IN_PROGRESS, ""),
    "FIXED": (AgencyStatusKind.CLOSED, Resolution.COMPLETED),
    "CLOSED": (AgencyStatusKind.CLOSED, Resolution.COMPLETED),
    "DUPLICATE": (AgencyStatusKind.CLOSED, Resolution.DUPLICATE),
    "NOT_COUNCILS_RESPONSIBILITY": (AgencyStatusKind.CLOSED, Resolution.REFERRED),
    "INTERNAL_REFERRAL": (AgencyStatusKind.CLOSED, Resolution.REFERRED),
    "NO_FURTHER_ACTION": (AgencyStatusKind.CLOSED, Resolution.NO_ACTION_NEEDED),
}


def status_report_from_open311(
    *, update_id: str, status: str, occurred_at: datetime, description: str
) -> StatusReport:
    """An agency's update sent through Open311's servicerequestupdates, as a status report."""
    if not update_id or len(update_id) > max_length_of(AgencyStatusEvent, "event_id"):
        raise InvalidInput(
            "is required from an agency's system: its own id of the update, at most "
            f"{max_length_of(AgencyStatusEvent, 'event_id')} characters",
            field="update_id",
        )
    if status not in OPEN311_STATUSES:
        raise InvalidInput(
            f"{status!r} is not one an agency reports ({', '.join(sorted(OPEN311_STATUSES))})",
            field="status",
        )
    kind, resolution = OPEN311_STATUSES[status]
    return StatusReport(
        event_id=update_id,
        occurred_at=occurred_at,
        status=kind,
        resolution=resolution,
        public_note=description,
    )


def _report_check(report: StatusReport, request: ServiceRequest) -> None:
    if report.status not in AgencyStatusKind.values:
        raise InvalidInput(f"{report.status!r} is not a status", field="status")
    if report.status == AgencyStatusKind.CLOSED:
        if report.resolution not in Resolution.values:
            raise InvalidInput(
                f"{report.resolution!r} is not a resolution "
                f"(one of {', '.join(Resolution.values)})",
                field="resolution",
            )
    elif report.resolution:
        raise InvalidInput("a resolution is given only with status closed", field="resolution")
    if report.occurred_at < request.requested_at:
        raise InvalidInput("the event cannot be dated before the request", field="occurred_at")
    if report.occurred_at > clock.now() + CLOCK_SKEW:
        raise InvalidInput("the event cannot be dated in the future", field="occurred_at")


def _status_apply(request: ServiceRequest, report: StatusReport, agency: Agency) -> None:
    """Move the request to the reported status through the lifecycle services."""
    via = Channel.STAFF
    if report.status == AgencyStatusKind.CLOSED:
        service_request_close(
            request=request,
            resolution=report.resolution,
            by=None,
            via=via,
            public_note=report.public_note,
        )
    elif request.status == report.status:
        if report.public_note:
            service_request_add_note(
                request=request,
                note=report.public_note,
                by=None,
                via=via,
                visibility=Visibility.PUBLIC,
            )
    else:
        if request.status == Status.CLOSED:
            raise Conflict("the request is closed", field="status")
        service_request_change_status(
            request=request, status=report.status, by=None, via=via, note=report.public_note
        )
    if report.internal_note:
        service_request_add_note(
            request=request,
            note=f"{agency.code}: {report.internal_note}",
            by=None,
            via=via,
            visibility=Visibility.INTERNAL,
        )


def _superseded_record(request: ServiceRequest, report: StatusReport, agency: Agency) -> None:
    """A report older than one already applied: noted in the request's history for staff, the
    status left as the later report set it."""
    note = (
        f"{agency.code} reported {AgencyStatusKind(report.status).label} "
        f"at {report.occurred_at.isoformat()}, after a later report; the status is unchanged."
    )
    details = [text for text in (report.public_note, report.internal_note) if text]
    service_request_add_note(
        request=request,
        note="\n".join([note, *details]),
        by=None,
        via=Channel.STAFF,
        visibility=Visibility.INTERNAL,
    )


def agency_status_report(
    *, agency: Agency, tracking_number: str, report: StatusReport
) -> tuple[dict[str, Any], bool]:
    """Apply an agency's report on one of its requests; return the answer and whether it is new.

    A report already received (the same agency and event id) is answered as it was the first
    time and changes nothing. A report dated before the latest applied one is kept, and noted in
    the request's history, but does not move the status back. Another agency's request, or one
    that does not exist, is not found."""
    first = AgencyStatusEvent.objects.filter(agency=agency, event_id=report.event_id).first()
    if first is not None:
        return first.answer, False
    request = service_request_get_by_tracking_number(tracking_number=tracking_number)
    if request is None or request.agency_id != agency.pk:
        raise NotFound("no such request", field="tracking_number")
    _report_check(report, request)
    try:
        with transaction.atomic():
            # One agency's reports are taken one at a time, so two racing reports on a request
            # compare their times with each other's (only its agency reports on a request).
            Agency.objects.select_for_update().filter(pk=agency.pk).first()
            latest = AgencyStatusEvent.objects.filter(request=request, applied=True).aggregate(
                at=Max("occurred_at")
            )["at"]
            applied = latest is None or report.occurred_at >= latest
            if applied:
                _status_apply(request, report, agency)
            else:
                _superseded_record(request, report, agency)
            request.refresh_from_db(fields=["status", "resolution"])
            answer = {
                "event_id": report.event_id,
                "tracking_number": request.tracking_number,
                "applied": applied,
                "status": request.status,
                "resolution": request.resolution,
            }
            AgencyStatusEvent.objects.create(
                agency=agency,
                event_id=report.event_id,
                request=request,
                occurred_at=report.occurred_at,
                status=report.status,
                resolution=report.resolution,
                public_note=report.public_note,
                internal_note=report.internal_note,
                applied=applied,
                received_at=clock.now(),
                answer=answer,
            )
    except IntegrityError:
        # The same report, sent twice at once: the first to commit answered it.
        first = AgencyStatusEvent.objects.filter(agency=agency, event_id=report.event_id).first()
        if first is None:
            raise
        return first.answer, False
    return answer, True
