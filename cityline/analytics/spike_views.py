"""The console's spikes: the open and past ones with a link to their requests, and a 311
supervisor's acknowledgement. Who may is `analytics.access`'s decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityline.accounts.http import StaffRequest
from cityline.analytics import access
from cityline.analytics.spike_selectors import spike_get, spikes_open, spikes_past
from cityline.analytics.spike_services import spike_acknowledge
from cityline.core.clients import client_address


@require_GET
@login_required
def spike_list(request: StaffRequest) -> HttpResponse:
    access.require_watch_spikes(user=request.user)
    return render(
        request,
        "analytics/spikes.html",
        {"open_spikes": list(spikes_open()), "past_spikes": list(spikes_past())},
    )


@require_POST
@login_required
def spike_acknowledge_view(request: StaffRequest, spike_id: int) -> HttpResponse:
    access.require_watch_spikes(user=request.user)
    spike = spike_get(spike_id=spike_id)
    if spike is None:
        raise Http404
    if spike_acknowledge(spike=spike, by=request.user, ip=client_address(request)):
        messages.success(request, _("Spike acknowledged."))
    else:
        messages.info(request, _("This spike was acknowledged already."))
    return redirect("console:spikes")
