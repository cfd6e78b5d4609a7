"""Moving a request through its statuses, each move with its history entry and side effects."""

from datetime import datetime, timedelta

from django.db import transaction

from cityline.accounts.models import ApiKey, User
from cityline.core import clock
from cityline.core.errors import DomainError, InvalidInput, InvalidTransition
from cityline.core.outbox import outbox_enqueue
from cityline.servicerequests import events
from cityline.servicerequests.models import (
    WAITING_STATUSES,
    Resolution,
    ServiceRequest,
    Status,
    Visibility,
)

# A client's clock may run a little ahead of ours; an update dated further ahead is refused.
CLOCK_SKEW = timedelta(minutes=15)


# Which statuses may follow which. Closing has its own service (it needs a resolution).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, *WAITING_STATUSES}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, *WAITING_STATUSES}),
    Status.IN_PROGRESS: frozenset({Status.ACKNOWLEDGED, *WAITING_STATUSES}),
    Status.WAITING_ON_REQUESTER: frozenset({Status.IN_PROGRESS, Status.WAITING_ON_THIRD_PARTY}),
    Status.WAITING_ON_THIRD_PARTY: frozenset({Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER}),
    Status.CLOSED: frozenset(),
}


def _lock(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _resume_sla_clock(request: ServiceRequest, now: datetime) -> None:
    """Leaving a waiting state pushes the due time back by the time spent waiting."""
    if request.waiting_since is not None:
        if request.expected_at is not None:
            request.expected_at += now - request.waiting_since
        request.waiting_since = None


def _status_changed_enqueue(request: ServiceRequest) -> None:
    """Tell the request's agency's system (the integrations app), with the status as it is now."""
    outbox_enqueue(
        topic="request.status_changed",
        payload={
            "request_id": request.pk,
            "status": request.status,
            "resolution": request.resolution,
        },
    )


def service_request_change_status(
    *,
    request: ServiceRequest,
    status: str,
    by: User | None,
    via: str,
    note: str = "",
    visibility: str = Visibility.PUBLIC,
) -> ServiceRequest:
    with transaction.atomic():
        request = _lock(request)
        if status not in ALLOWED_TRANSITIONS[request.status]:
            wanted = Status(status).label if status in Status.values else repr(status)
            raise InvalidTransition(
                f"a request that is {Status(request.status).label} cannot become {wanted}",
                field="status",
            )
        now = clock.now()
        if request.status in WAITING_STATUSES and status not in WAITING_STATUSES:
            _resume_sla_clock(request, now)
        if status in WAITING_STATUSES and request.waiting_since is None:
            request.waiting_since = now
        request.status = status
        request.updated_at = now
        if visibility == Visibility.PUBLIC and note:
            request.status_notes = note
        request.save()
        events.request_status_changed_event(
            request=request, by=by, via=via, note=note, visibility=visibility
        )
        _status_changed_enqueue(request)
    return request


def service_request_close(
    *, request: ServiceRequest, resolution: str, by: User | None, via: str, public_note: str = ""
) -> ServiceRequest:
    with transaction.atomic():
        request = _lock(request)
        if request.status == Status.CLOSED:
            raise InvalidTransition("the request is already closed", field="status")
        if resolution not in Resolution.values:
            raise DomainError(f"{resolution!r} is not a resolution", field="resolution")
        now = clock.now()
        _resume_sla_clock(request, now)
        request.status = Status.CLOSED
        request.resolution = resolution
        request.closed_at = now
        request.updated_at = now
        if public_note:
            request.status_notes = public_note
        request.save()
        events.request_closed_event(request=request, by=by, via=via, note=public_note)
        _status_changed_enqueue(request)
    return request


def service_request_reopen(
    *, request: ServiceRequest, by: User | None, via: str, note: str = ""
) -> ServiceRequest:
    with transaction.atomic():
        request = _lock(request)
        if request.status != Status.CLOSED:
            raise InvalidTransition("only a closed request can be reopened", field="status")
        request.status = Status.ACKNOWLEDGED
        request.resolution = ""
        request.closed_at = None
        request.updated_at = clock.now()
        if note:
            request.status_notes = note
        request.save()
        events.request_reopened_event(request=request, by=by, via=via, note=note)
        _status_changed_enqueue(request)
    return request


def service_request_add_note(
    *,
    request: ServiceRequest,
    note: str,
    by: User | None,
    via: str,
    visibility: str,
    media_url: str = "",
) -> ServiceRequest:
    with transaction.atomic():
        request = _lock(request)
        request.updated_at = clock.now()
        if visibility == Visibility.PUBLIC:
            request.status_notes = note
        request.save(update_fields=["updated_at", "status_notes"])
        events.request_note_added_event(
            request=request, by=by, via=via, note=note, visibility=visibility, media_url=media_url
        )
    return request


def service_request_mark_duplicate(
    *, request: ServiceRequest, parent: ServiceRequest, by: User | None, via: str
) -> ServiceRequest:
    """Link a request to the one it repeats and close it; the parent carries the work."""
    if parent.pk == request.pk:
        raise DomainError("a request cannot be a duplicate of itself", field="parent")
    with transaction.atomic():
        request = _lock(request)
        # Duplicates always point at the root, so chains never form: read the parent's own link
        # afresh, and move any duplicates of this request over to the root with it.
        root_id = _lock(parent).parent_id or parent.pk
        if root_id == request.pk:
            raise DomainError("a request cannot be a duplicate of itself", field="parent")
        if request.status == Status.CLOSED:
            raise InvalidTransition("a closed request cannot be marked duplicate", field="status")
        request.parent_id = root_id
        request.save(update_fields=["parent"])
        ServiceRequest.objects.filter(parent=request).update(parent_id=root_id)
        request.parent = ServiceRequest.objects.get(pk=request.parent_id)
        events.request_marked_duplicate_event(request=request, by=by, via=via)
        return service_request_close(
            request=request,
            resolution=Resolution.DUPLICATE,
            by=by,
            via=via,
            public_note=f"This is a duplicate of {request.parent.tracking_number}.",
        )


def service_request_add_citizen_update(
    *,
    request: ServiceRequest,
    note: str,
    media_url: str,
    via: str,
    api_key: ApiKey | None,
    at: datetime | None = None,
    citizen_status: str = "",
) -> ServiceRequest:
    """A member of the public adds to a request (e.g. through FixMyStreet). It is a public note;
    it never changes the status, which stays the agency's to set: the status its sender gave
    (`citizen_status`, e.g. FIXED) is recorded on the update for staff to read.

    `at`, when the sender dated the update, lies between the request's making and now (give or
    take `CLOCK_SKEW`): history is never dated before the request it belongs to.
    """
    with transaction.atomic():
        request = _lock(request)
        now = clock.now()
        if at is not None and at < request.requested_at:
            raise InvalidInput(
                "an update cannot be dated before its request was made "
                f"({request.requested_at.isoformat(timespec='seconds')})",
                field="occurred_at",
            )
        if at is not None and at > now + CLOCK_SKEW:
            raise InvalidInput("an update cannot be dated in the future", field="occurred_at")
        request.updated_at = now
        request.save(update_fields=["updated_at"])
        events.request_citizen_update_event(
            request=request,
            api_key=api_key,
            via=via,
            note=note,
            media_url=media_url,
            at=at,
            citizen_status=citizen_status,
        )
    return request
