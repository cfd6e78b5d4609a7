"""The only writers of a request's history (RequestUpdate): one small function per event."""

from dataclasses import dataclass
from datetime import datetime

from cityline.accounts.models import ApiKey, User
from cityline.catalog.models import Agency
from cityline.core import clock
from cityline.core.inserts.instances import (
    PreparedInstances,
    instance_insert,
    instances_prepare,
    prepared_instances_insert,
)
from cityline.servicerequests.models import (
    RequestUpdate,
    ServiceRequest,
    UpdateKind,
    Visibility,
)


def _entry(
    *,
    request: ServiceRequest,
    kind: str,
    via: str,
    by: User | None,
    api_key: ApiKey | None = None,
    note: str = "",
    media_url: str = "",
    visibility: str = Visibility.PUBLIC,
    at: datetime | None = None,
) -> RequestUpdate:
    return RequestUpdate(
        request=request,
        kind=kind,
        status=request.status,
        resolution=request.resolution,
        note=note,
        media_url=media_url,
        visibility=visibility,
        author=by,
        api_key=api_key,
        via=via,
        occurred_at=at or clock.now(),
    )


def _write(update: RequestUpdate) -> RequestUpdate:
    instance_insert(update)
    return update


@dataclass(frozen=True)
class PreparedCreatedEvent:
    """The creation entry of a request not yet stored, its INSERT prepared ahead of the request's
    transaction (on SQLite, what runs inside it holds up every other writer)."""

    rows: PreparedInstances


def request_created_event_prepare(
    *, request: ServiceRequest, by: User | None, api_key: ApiKey | None, via: str
) -> PreparedCreatedEvent:
    """Prepare the creation entry of `request`, at its time of request, for
    `request_created_event` to write once the request is stored."""
    return PreparedCreatedEvent(
        instances_prepare(
            [
                _entry(
                    request=request,
                    kind=UpdateKind.CREATED,
                    via=via,
                    by=by,
                    api_key=api_key,
                    at=request.requested_at,
                )
            ],
            parent="request",
        )
    )


def request_created_event(*, prepared: PreparedCreatedEvent, request: ServiceRequest) -> None:
    """Write the prepared creation entry under `request`, in the transaction that stores it."""
    prepared_instances_insert(prepared.rows, parent_pk=request.pk)


def request_status_changed_event(
    *, request: ServiceRequest, by: User | None, via: str, note: str, visibility: str
) -> RequestUpdate:
    return _write(
        _entry(
            request=request,
            kind=UpdateKind.STATUS_CHANGED,
            via=via,
            by=by,
            note=note,
            visibility=visibility,
        )
    )


def request_note_added_event(
    *,
    request: ServiceRequest,
    by: User | None,
    via: str,
    note: str,
    visibility: str,
    media_url: str = "",
) -> RequestUpdate:
    return _write(
        _entry(
            request=request,
            kind=UpdateKind.NOTE,
            via=via,
            by=by,
            note=note,
            visibility=visibility,
            media_url=media_url,
        )
    )


def request_imported_notes_event(*, entries: list[RequestUpdate]) -> int:
    """Notes another system kept in a request's history, as loaded by an import, all at once."""
    RequestUpdate.objects.bulk_create(entries)
    return len(entries)


def request_closed_event(
    *, request: ServiceRequest, by: User | None, via: str, note: str
) -> RequestUpdate:
    return _write(_entry(request=request, kind=UpdateKind.CLOSED, via=via, by=by, note=note))


def request_reopened_event(
    *, request: ServiceRequest, by: User | None, via: str, note: str
) -> RequestUpdate:
    return _write(_entry(request=request, kind=UpdateKind.REOPENED, via=via, by=by, note=note))


def request_marked_duplicate_event(
    *, request: ServiceRequest, by: User | None, via: str
) -> RequestUpdate:
    note = f"Duplicate of {request.parent.tracking_number}" if request.parent else ""
    return _write(
        _entry(request=request, kind=UpdateKind.MARKED_DUPLICATE, via=via, by=by, note=note)
    )


def request_citizen_update_event(
    *,
    request: ServiceRequest,
    api_key: ApiKey | None,
    via: str,
    note: str,
    media_url: str,
    at: datetime | None,
    citizen_status: str = "",
) -> RequestUpdate:
    update = _entry(
        request=request,
        kind=UpdateKind.CITIZEN_UPDATE,
        via=via,
        by=None,
        api_key=api_key,
        note=note,
        media_url=media_url,
        at=at,
    )
    update.citizen_status = citizen_status
    return _write(update)


def request_assigned_event(*, request: ServiceRequest, by: User | None, via: str) -> RequestUpdate:
    """Internal: who works on a request is staff's business."""
    holders = [request.assignee.get_username()] if request.assignee else []
    if request.crew:
        holders.append(f"crew {request.crew}")
    note = f"Assigned to {' and '.join(holders)}" if holders else "Unassigned"
    return _write(
        _entry(
            request=request,
            kind=UpdateKind.ASSIGNED,
            via=via,
            by=by,
            note=note,
            visibility=Visibility.INTERNAL,
        )
    )


def request_reassigned_event(
    *, request: ServiceRequest, previous_agency: Agency, by: User | None, via: str, reason: str
) -> RequestUpdate:
    """Internal: the reason is written for the receiving agency's staff."""
    return _write(
        _entry(
            request=request,
            kind=UpdateKind.REASSIGNED,
            via=via,
            by=by,
            note=f"Moved from {previous_agency} to {request.agency}: {reason}",
            visibility=Visibility.INTERNAL,
        )
    )
