"""Moving a request through its statuses, each move with its history entry and side effects.

The SLA clock pauses in the waiting states: when a request leaves one (or is closed from one), its
resolution due time is recomputed from its frozen target and its history by
`sla.rules.sla_due_times_from_history`, so what is stored is always what the history implies.
Closing after that due time needs a late-close reason from the agency's list.
"""

from datetime import datetime, timedelta

from django.db import transaction

from cityline.accounts.models import ApiKey, Crew, User
from cityline.catalog.models import Agency
from cityline.core import clock
from cityline.core.errors import DomainError, InvalidInput, InvalidTransition
from cityline.core.outbox import outbox_enqueue
from cityline.servicerequests import events
from cityline.servicerequests.models import (
    WAITING_STATUSES,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    Visibility,
)
from cityline.servicerequests.services.following import followers_move
from cityline.sla.models import LateCloseReason
from cityline.sla.rules import STATUS_MOVES, sla_due_times_from_history

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


def _resume_sla_clock(request: ServiceRequest) -> None:
    """Once the entry that ends a pause is written: store the due time its history implies."""
    if request.waiting_since is None:
        return
    history = RequestUpdate.objects.filter(request=request, kind__in=STATUS_MOVES).only(
        "kind", "status", "occurred_at"
    )
    request.expected_at = sla_due_times_from_history(request, history).expected_at
    request.waiting_since = None
    request.save(update_fields=["expected_at", "waiting_since"])


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


def _subscribers_tell_enqueue(
    *, topic: str, request: ServiceRequest, by: User | None, note: str
) -> None:
    """Tell the request's subscribers of a public change (the notifications app), as it is now;
    `by` made the change and is not told of it."""
    outbox_enqueue(
        topic=topic,
        payload={
            "request_id": request.pk,
            "status": request.status,
            "resolution": request.resolution,
            "note": note,
            "by_id": by.pk if by is not None else None,
        },
    )


def _status_change_tell_enqueue(
    *, request: ServiceRequest, before: str, by: User | None, note: str, visibility: str
) -> None:
    """A public status change is told; leaving "new" for "acknowledged" is the acknowledgement."""
    if visibility != Visibility.PUBLIC:
        return
    acknowledged = before == Status.NEW and request.status == Status.ACKNOWLEDGED
    topic = "request.acknowledged" if acknowledged else "request.public_status_changed"
    _subscribers_tell_enqueue(topic=topic, request=request, by=by, note=note)


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
        if status in WAITING_STATUSES and request.waiting_since is None:
            request.waiting_since = now
        before = request.status
        request.status = status
        request.updated_at = now
        if visibility == Visibility.PUBLIC and note:
            request.status_notes = note
        request.save()
        events.request_status_changed_event(
            request=request, by=by, via=via, note=note, visibility=visibility
        )
        if status not in WAITING_STATUSES:
            _resume_sla_clock(request)
        _status_changed_enqueue(request)
        _status_change_tell_enqueue(
            request=request, before=before, by=by, note=note, visibility=visibility
        )
    return request


def service_request_close(
    *,
    request: ServiceRequest,
    resolution: str,
    by: User | None,
    via: str,
    public_note: str = "",
    late_close_reason: LateCloseReason | None = None,
) -> ServiceRequest:
    """Close a request. After its due time (pauses counted) a reason for the late close from
    the agency's list is required, except for a duplicate, whose work goes on under its parent."""
    with transaction.atomic():
        request = _lock(request)
        if request.status == Status.CLOSED:
            raise InvalidTransition("the request is already closed", field="status")
        if resolution not in Resolution.values:
            raise DomainError(f"{resolution!r} is not a resolution", field="resolution")
        if late_close_reason is not None and (
            late_close_reason.agency_id != request.agency_id or not late_close_reason.is_active
        ):
            raise InvalidInput(
                f"{late_close_reason} is not one of the agency's late-close reasons",
                field="late_close_reason",
            )
        now = clock.now()
        request.status = Status.CLOSED
        request.resolution = resolution
        request.closed_at = now
        request.updated_at = now
        request.late_close_reason = late_close_reason
        if public_note:
            request.status_notes = public_note
        request.save()
        events.request_closed_event(request=request, by=by, via=via, note=public_note)
        _resume_sla_clock(request)
        late = request.expected_at is not None and now > request.expected_at
        if late and late_close_reason is None and resolution != Resolution.DUPLICATE:
            # Raised inside the transaction: nothing of the close is kept.
            raise InvalidInput(
                "the request is past its due time: choose a reason for the late close",
                field="late_close_reason",
            )
        _status_changed_enqueue(request)
        _subscribers_tell_enqueue(topic="request.closed", request=request, by=by, note=public_note)
    return request


def service_request_assign(
    *,
    request: ServiceRequest,
    assignee: User | None,
    by: User | None,
    via: str,
    crew: Crew | None = None,
) -> ServiceRequest:
    """Give a request to a member of staff, to one of its agency's crews, or both (a crew and
    its lead); None for both takes it back. The call states who holds the request from now on.
    The SLA scan tells the assignee first when the request is at risk."""
    if assignee is not None and not (assignee.is_active and assignee.is_staff):
        raise InvalidInput("only active staff can be assigned a request", field="assignee")
    with transaction.atomic():
        request = _lock(request)
        if crew is not None and crew.agency_id != request.agency_id:
            raise InvalidInput(f"{crew} is not a crew of {request.agency}", field="crew")
        request.assignee = assignee
        request.crew = crew
        request.updated_at = clock.now()
        request.save(update_fields=["assignee", "crew", "updated_at"])
        events.request_assigned_event(request=request, by=by, via=via)
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
        request.late_close_reason = None
        request.updated_at = clock.now()
        if note:
            request.status_notes = note
        request.save()
        events.request_reopened_event(request=request, by=by, via=via, note=note)
        _status_changed_enqueue(request)
        _subscribers_tell_enqueue(topic="request.reopened", request=request, by=by, note=note)
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
        if visibility == Visibility.PUBLIC:
            _subscribers_tell_enqueue(
                topic="request.public_note", request=request, by=by, note=note
            )
    return request


def service_request_mark_duplicate(
    *, request: ServiceRequest, parent: ServiceRequest, by: User | None, via: str
) -> ServiceRequest:
    """Link a request to the one it repeats and close it; the parent carries the work, and the
    duplicate's followers and demand with it."""
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
        followers_move(duplicate=request, root=request.parent)
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


def service_request_reassign(
    *, request: ServiceRequest, agency: Agency, reason: str, by: User | None, via: str
) -> ServiceRequest:
    """Move a request to another agency's queue ("a tree is a tree": the router or a colleague
    sent it to the wrong one). Its history stays with it.

    The SLA's frozen targets do not change: the due times were promised to the resident when
    they asked, and which agency does the work is the city's own affair, so a move inside the
    city neither restarts nor extends the clock. Its assignee and crew were the old agency's:
    both are cleared.
    """
    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why the request moves to another agency", field="reason")
    with transaction.atomic():
        request = _lock(request)
        if request.status == Status.CLOSED:
            raise InvalidTransition(
                "a closed request cannot move to another agency", field="status"
            )
        if agency.pk == request.agency_id:
            raise InvalidInput(f"the request is already {agency}'s", field="agency")
        previous = request.agency
        request.agency = agency
        request.assignee = None
        request.crew = None
        request.updated_at = clock.now()
        request.save(update_fields=["agency", "assignee", "crew", "updated_at"])
        events.request_reassigned_event(
            request=request, previous_agency=previous, by=by, via=via, reason=reason
        )
        # The integrations app sends the new agency's system the work order and tells the old
        # one's to stop.
        outbox_enqueue(
            topic="request.reassigned",
            payload={
                "request_id": request.pk,
                "from_agency_id": previous.pk,
                "to_agency_id": agency.pk,
                "status": request.status,
                "resolution": request.resolution,
            },
        )
    return request
