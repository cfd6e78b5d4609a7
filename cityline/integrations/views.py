"""The console's work-order page: each agency's dead and waiting work orders, and replay."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cityline.accounts.http import StaffRequest
from cityline.core.clients import client_address
from cityline.core.errors import DomainError
from cityline.integrations.access import may_manage_integrations
from cityline.integrations.models import WorkOrderEvent
from cityline.integrations.selectors import integration_backlog_list
from cityline.integrations.services import work_order_replay


def _allowed(request: StaffRequest) -> None:
    if not may_manage_integrations(request.user):
        raise PermissionDenied


@login_required
def backlog(request: StaffRequest) -> HttpResponse:
    _allowed(request)
    return render(request, "integrations/backlog.html", {"backlogs": integration_backlog_list()})


@login_required
@require_POST
def replay(request: StaffRequest, event_id: int) -> HttpResponse:
    _allowed(request)
    event = get_object_or_404(
        WorkOrderEvent.objects.select_related("integration__agency"), pk=event_id
    )
    try:
        work_order_replay(event=event, by=request.user, ip=client_address(request))
    except DomainError as refused:
        context = {"backlogs": integration_backlog_list(), "error": refused.message}
        return render(request, "integrations/backlog.html", context, status=409)
    return redirect("integrations:backlog")
