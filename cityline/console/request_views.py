"""A request's page in the console, the actions on it, and bulk actions on many requests. Thin:
reads through `servicerequests.staffview`, writes through `servicerequests.services
.staff_actions`, which check `access.can_act` per request and audit each action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityline.accounts.http import StaffRequest
from cityline.console.request_forms import BulkForm
from cityline.core.clients import client_address
from cityline.core.errors import Forbidden, NotFound
from cityline.servicerequests.models import Channel
from cityline.servicerequests.services.staff_actions import (
    BulkAction,
    BulkOutcome,
    service_requests_bulk_act,
)
from cityline.servicerequests.staffview import staff_request_page


def _same_site(request: StaffRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_GET
@login_required
def request_detail(request: StaffRequest, tracking_number: str) -> HttpResponse:
    page = staff_request_page(user=request.user, tracking_number=tracking_number)
    return render(request, "console/request_detail.html", {"page": page, "sr": page.request})


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
