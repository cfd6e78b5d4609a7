"""Staff acting on requests from the console: each action checked against `access.can_act` for
the request it touches, done through the lifecycle services, and written to the audit log in the
same transaction, so an action is either done, audited and in the history, or not at all.

A bulk action is the same action done one request at a time: each request its own access check,
its own transaction, its own history entries and audit entry, as if done from its page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction

from cityline.accounts.audit import audit_record
from cityline.accounts.models import Crew, User
from cityline.catalog.models import Agency
from cityline.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from cityline.servicerequests import access
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.services.lifecycle import (
    service_request_assign,
    service_request_mark_duplicate,
    service_request_reassign,
)
from cityline.servicerequests.staffview import RequesterContact, requester_contact


def request_act(
    *,
    user: User,
    request: ServiceRequest,
    action: access.Action,
    apply: Callable[[ServiceRequest], ServiceRequest],
    audit: str,
    details: dict[str, Any],
    ip: str | None,
) -> ServiceRequest:
    """Do `apply` to a request the user may see, if they may do `action` to it, and audit it.
    Raises `Forbidden` when they may not, or the service's `DomainError`; nothing is kept then."""
    if not access.can_act(user=user, request=request, action=action):
        raise Forbidden(f"you may not {action.replace('_', ' ')} this request")
    with transaction.atomic():
        done = apply(request)
        audit_record(
            actor=user,
            action=f"request.{audit}",
            target=done,
            details={"tracking_number": done.tracking_number, "status": done.status, **details},
            ip=ip,
        )
    return done


def requester_contact_show(
    *, user: User, request: ServiceRequest, ip: str | None
) -> RequesterContact:
    """The requester's and followers' contact details, recorded in the audit log as seen by the
    user. Raises `Forbidden` for those who may not see them."""
    contact = requester_contact(user=user, request=request)
    if contact is None:
        raise Forbidden("you may not see who asked for this request")
    audit_record(
        actor=user,
        action="requester.viewed",
        target=request,
        details={"tracking_number": request.tracking_number, "via": "console"},
        ip=ip,
    )
    return contact


def assignee_check(*, assignee: User, request: ServiceRequest) -> None:
    """Only someone who may work on a request is given it: a colleague of its agency, or city
    staff who act on every request."""
    if not access.can_act(user=assignee, request=request, action=access.Action.START):
        raise InvalidInput(
            f"{assignee.get_username()} does not work on {request.agency}'s requests",
            field="assignee",
        )


class BulkAction(StrEnum):
    ASSIGN = "assign"
    CLOSE_DUPLICATE = "close_duplicate"
    REASSIGN = "reassign"


BULK_ACCESS = {
    BulkAction.ASSIGN: access.Action.ASSIGN,
    BulkAction.CLOSE_DUPLICATE: access.Action.MERGE,
    BulkAction.REASSIGN: access.Action.REASSIGN,
}


@dataclass(frozen=True)
class BulkOutcome:
    tracking_number: str
    done: bool
    # Why it was not done: the error the access check or the service gave.
    refusal: DomainError | None = None


def service_requests_bulk_act(
    *,
    user: User,
    tracking_numbers: Iterable[str],
    action: BulkAction,
    via: str,
    ip: str | None,
    assignee: User | None = None,
    crew: Crew | None = None,
    parent: ServiceRequest | None = None,
    agency: Agency | None = None,
    reason: str = "",
) -> list[BulkOutcome]:
    """Do one action to each request named, in order, and say for each whether it was done or
    why not. A request the user may not see is refused as not found."""

    def apply(request: ServiceRequest) -> ServiceRequest:
        if action == BulkAction.ASSIGN:
            if assignee is not None:
                assignee_check(assignee=assignee, request=request)
            return service_request_assign(
                request=request, assignee=assignee, crew=crew, by=user, via=via
            )
        if action == BulkAction.CLOSE_DUPLICATE:
            if parent is None:
                raise InvalidInput("name the request these repeat", field="parent")
            return service_request_mark_duplicate(request=request, parent=parent, by=user, via=via)
        if agency is None:
            raise InvalidInput("choose the agency to move the requests to", field="agency")
        return service_request_reassign(
            request=request, agency=agency, reason=reason, by=user, via=via
        )

    details: dict[str, Any] = {"via": via, "bulk": True}
    if assignee is not None:
        details["assignee"] = assignee.get_username()
    if crew is not None:
        details["crew"] = crew.name
    if parent is not None:
        details["parent"] = parent.tracking_number
    if agency is not None:
        details["agency"] = agency.code
    if reason:
        details["reason"] = reason

    visible = access.requests_visible_to(user)
    outcomes: list[BulkOutcome] = []
    for number in dict.fromkeys(tracking_numbers):
        request = visible.filter(tracking_number=number).first()
        if request is None:
            outcomes.append(BulkOutcome(number, done=False, refusal=NotFound("no such request")))
            continue
        try:
            request_act(
                user=user,
                request=request,
                action=BULK_ACCESS[action],
                apply=apply,
                audit=str(action),
                details=details,
                ip=ip,
            )
        except DomainError as refused:
            outcomes.append(BulkOutcome(number, done=False, refusal=refused))
        else:
            outcomes.append(BulkOutcome(number, done=True))
    return outcomes
