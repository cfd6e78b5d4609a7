"""A request's page in the console, the actions on it, and bulk actions on many requests. Thin:
reads through `servicerequests.staffview`, writes through `servicerequests.services
.staff_actions`, which check `access.can_act` per request and audit each action."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from cityline.accounts.http import StaffRequest as SignedInRequest
from cityline.console.request_forms import (
    AssignForm,
    BulkForm,
    CloseForm,
    HoldForm,
    MergeForm,
    NoteForm,
    ReassignForm,
    ReopenForm,
)
from cityline.core.clients import client_address
from cityline.core.errors import DomainError, Forbidden, NotFound
from cityline.servicerequests.access import Action
from cityline.servicerequests.models import Channel, ServiceRequest, Status, Visibility
from cityline.servicerequests.services.lifecycle import (
    service_request_add_note,
    service_request_assign,
    service_request_change_status,
    service_request_close,
    service_request_mark_duplicate,
    service_request_reassign,
    service_request_reopen,
)
from cityline.servicerequests.services.staff_actions import (
    BulkAction,
    BulkOutcome,
    assignee_check,
    request_act,
    requester_contact_show,
    service_requests_bulk_act,
)
from cityline.servicerequests.staffview import (
    RequesterContact,
    StaffRequestPage,
    staff_request_page,
)


class StaffRequest(SignedInRequest):
    """A signed-in request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


def _same_site(request: StaffRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _forms(
    request: StaffRequest, page: StaffRequestPage, bound: tuple[str, forms.Form] | None = None
) -> dict[str, forms.Form]:
    """An unbound form for each action the page offers; `bound` replaces one with the form the
    user sent, with its errors."""
    sr, user = page.request, request.user
    built: dict[str, forms.Form] = {
        "assign": AssignForm(request=sr, user=user),
        "hold": HoldForm(),
        "note": NoteForm(),
        "merge": MergeForm(user=user),
        "reassign": ReassignForm(request=sr),
        "close": CloseForm(request=sr, late=page.sla.overdue),
        "reopen": ReopenForm(),
    }
    if bound is not None:
        built[bound[0]] = bound[1]
    return built


def _render_page(
    request: StaffRequest,
    page: StaffRequestPage,
    *,
    bound: tuple[str, forms.Form] | None = None,
    contact: RequesterContact | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "page": page,
        "sr": page.request,
        "forms": _forms(request, page, bound),
        "contact": contact,
        "error_form": bound[0] if bound else None,
    }
    return render(request, "console/request_detail.html", context, status=status)


@require_GET
@login_required
def request_detail(request: StaffRequest, tracking_number: str) -> HttpResponse:
    return _render_page(
        request, staff_request_page(user=request.user, tracking_number=tracking_number)
    )


@require_POST
@login_required
def requester_show(request: StaffRequest, tracking_number: str) -> HttpResponse:
    """The requester's and followers' contact details, shown on a press of "show" and recorded
    in the audit log as seen."""
    page = staff_request_page(user=request.user, tracking_number=tracking_number)
    try:
        contact = requester_contact_show(
            user=request.user, request=page.request, ip=client_address(request)
        )
    except Forbidden:
        raise PermissionDenied from None
    if request.htmx:
        return render(request, "console/request_contact.html", {"contact": contact})
    return _render_page(request, page, contact=contact)


@dataclass(frozen=True)
class ActionSpec:
    """One action of a request's page: its form, who may (per request, from the cleaned data),
    the service that does it and what it says once done."""

    name: str
    form: Callable[[StaffRequest, StaffRequestPage, Any], forms.Form]
    # Any of these lets the user send the form; `may` says which one the data needs.
    gate: frozenset[Action]
    may: Callable[[dict[str, Any]], Action]
    apply: Callable[[StaffRequest, ServiceRequest, dict[str, Any]], ServiceRequest]
    done: str
    audit_details: Callable[[dict[str, Any]], dict[str, Any]] = lambda data: {}


def _act(request: StaffRequest, tracking_number: str, spec: ActionSpec) -> HttpResponse:
    page = staff_request_page(user=request.user, tracking_number=tracking_number)
    sr = page.request
    # Refused before the form is read: a person who may not act learns nothing from its errors.
    if not page.actions & spec.gate:
        raise PermissionDenied
    form = spec.form(request, page, request.POST)
    if not form.is_valid():
        return _render_page(request, page, bound=(spec.name, form), status=400)
    data = form.cleaned_data
    try:
        request_act(
            user=request.user,
            request=sr,
            action=spec.may(data),
            apply=lambda each: spec.apply(request, each, data),
            audit=spec.name,
            details={"via": "console", **spec.audit_details(data)},
            ip=client_address(request),
        )
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return _render_page(request, page, bound=(spec.name, form), status=400)
    messages.success(request, spec.done)
    return redirect("console:request_detail", tracking_number=sr.tracking_number)


def _bulk_status(outcomes: list[BulkOutcome]) -> int:
    """200 once anything was done; otherwise the answer one refused request would have had on
    its own: 400 for a rule of the request's workflow, 403 for a request the user may see but not
    act on, 404 when they may see none of them."""
    if any(outcome.done for outcome in outcomes):
        return 200
    refusals = [outcome.refusal for outcome in outcomes]
    if any(not isinstance(refusal, Forbidden | NotFound) for refusal in refusals):
        return 400
    if any(isinstance(refusal, Forbidden) for refusal in refusals):
        return 403
    return 404


@require_POST
@login_required
def requests_bulk(request: StaffRequest) -> HttpResponse:
    form = BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "console/requests_bulk.html", {"form": form}, status=400)
    data = form.cleaned_data
    outcomes = service_requests_bulk_act(
        user=request.user,
        tracking_numbers=data["requests"],
        action=BulkAction(data["action"]),
        via=Channel.STAFF,
        ip=client_address(request),
        assignee=data["assignee"],
        crew=data["crew"],
        parent=data["parent"],
        agency=data["agency"],
        reason=data["reason"],
    )
    done = [outcome.tracking_number for outcome in outcomes if outcome.done]
    back = _same_site(request, data["next"])
    if back is not None:
        if done:
            messages.success(request, _("Done: %(numbers)s.") % {"numbers": ", ".join(done)})
        for outcome in outcomes:
            if outcome.refusal is not None:
                messages.error(
                    request,
                    _("Not done: %(number)s: %(why)s.")
                    % {"number": outcome.tracking_number, "why": outcome.refusal.message},
                )
        return redirect(back)
    return render(
        request,
        "console/requests_bulk.html",
        {"form": form, "outcomes": outcomes},
        status=_bulk_status(outcomes),
    )


def _status_spec(name: str, status: Status, action: Action, done: str) -> ActionSpec:
    return ActionSpec(
        name=name,
        form=lambda request, page, data: forms.Form(data),
        gate=frozenset({action}),
        may=lambda data: action,
        apply=lambda request, sr, data: service_request_change_status(
            request=sr, status=status, by=request.user, via=Channel.STAFF
        ),
        done=done,
    )


def _one(action: Action) -> Callable[[dict[str, Any]], Action]:
    return lambda data: action


SPECS = {
    spec.name: spec
    for spec in [
        _status_spec("acknowledge", Status.ACKNOWLEDGED, Action.ACKNOWLEDGE, _("Acknowledged.")),
        _status_spec("start", Status.IN_PROGRESS, Action.START, _("Work started.")),
        ActionSpec(
            name="assign",
            form=lambda request, page, data: AssignForm(
                data, request=page.request, user=request.user
            ),
            gate=frozenset({Action.ASSIGN}),
            may=_one(Action.ASSIGN),
            apply=lambda request, sr, data: _assign(request, sr, data),
            done=_("Assignment saved."),
            audit_details=lambda data: {
                "assignee": data["assignee"].get_username() if data["assignee"] else None,
                "crew": str(data["crew"]) if data["crew"] else None,
            },
        ),
        ActionSpec(
            name="hold",
            form=lambda request, page, data: HoldForm(data),
            gate=frozenset({Action.HOLD}),
            may=_one(Action.HOLD),
            apply=lambda request, sr, data: service_request_change_status(
                request=sr,
                status=data["status"],
                note=data["note"],
                visibility=data["visibility"],
                by=request.user,
                via=Channel.STAFF,
            ),
            done=_("On hold: the clock is paused."),
            audit_details=lambda data: {"waiting_on": data["status"]},
        ),
        ActionSpec(
            name="note",
            form=lambda request, page, data: NoteForm(data),
            gate=frozenset({Action.NOTE, Action.PUBLIC_NOTE}),
            may=lambda data: (
                Action.PUBLIC_NOTE if data["visibility"] == Visibility.PUBLIC else Action.NOTE
            ),
            apply=lambda request, sr, data: service_request_add_note(
                request=sr,
                note=data["note"],
                visibility=data["visibility"],
                by=request.user,
                via=Channel.STAFF,
            ),
            done=_("Note added."),
            audit_details=lambda data: {"visibility": data["visibility"]},
        ),
        ActionSpec(
            name="merge",
            form=lambda request, page, data: MergeForm(data, user=request.user),
            gate=frozenset({Action.MERGE}),
            may=_one(Action.MERGE),
            apply=lambda request, sr, data: service_request_mark_duplicate(
                request=sr, parent=data["parent"], by=request.user, via=Channel.STAFF
            ),
            done=_("Closed as a duplicate."),
            audit_details=lambda data: {"parent": data["parent"].tracking_number},
        ),
        ActionSpec(
            name="reassign",
            form=lambda request, page, data: ReassignForm(data, request=page.request),
            gate=frozenset({Action.REASSIGN}),
            may=_one(Action.REASSIGN),
            apply=lambda request, sr, data: service_request_reassign(
                request=sr,
                agency=data["agency"],
                reason=data["reason"],
                by=request.user,
                via=Channel.STAFF,
            ),
            done=_("Moved to the other agency's queue."),
            audit_details=lambda data: {"agency": data["agency"].code, "reason": data["reason"]},
        ),
        ActionSpec(
            name="close",
            form=lambda request, page, data: CloseForm(
                data, request=page.request, late=page.sla.overdue
            ),
            gate=frozenset({Action.CLOSE}),
            may=_one(Action.CLOSE),
            apply=lambda request, sr, data: service_request_close(
                request=sr,
                resolution=data["resolution"],
                public_note=data["public_note"],
                late_close_reason=data.get("late_close_reason"),
                by=request.user,
                via=Channel.STAFF,
            ),
            done=_("Closed."),
            audit_details=lambda data: {
                "resolution": data["resolution"],
                "late_close_reason": str(data.get("late_close_reason") or ""),
            },
        ),
        ActionSpec(
            name="reopen",
            form=lambda request, page, data: ReopenForm(data),
            gate=frozenset({Action.REOPEN}),
            may=_one(Action.REOPEN),
            apply=lambda request, sr, data: service_request_reopen(
                request=sr, note=data["note"], by=request.user, via=Channel.STAFF
            ),
            done=_("Reopened."),
        ),
    ]
}


def _assign(request: StaffRequest, sr: ServiceRequest, data: dict[str, Any]) -> ServiceRequest:
    if data["assignee"] is not None:
        assignee_check(assignee=data["assignee"], request=sr)
    return service_request_assign(
        request=sr, assignee=data["assignee"], crew=data["crew"], by=request.user, via=Channel.STAFF
    )


def _action_view(name: str) -> Callable[[StaffRequest, str], HttpResponse]:
    spec = SPECS[name]

    @require_POST
    @login_required
    def view(request: StaffRequest, tracking_number: str) -> HttpResponse:
        return _act(request, tracking_number, spec)

    view.__name__ = f"request_{name}"
    return view


ACTION_VIEWS = {name: _action_view(name) for name in SPECS}
