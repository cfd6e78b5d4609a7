"""The console's broadcast pages: the broadcasts sent, with their audience and deliveries, and
the form that writes one, previews its audience, and sends it once."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityline.accounts.http import StaffRequest
from cityline.console.forms import form_domain_error_add
from cityline.core.clients import client_address
from cityline.core.errors import DomainError
from cityline.emergencies import access
from cityline.emergencies.broadcasts import (
    broadcast_audience,
    broadcast_delivery_counts,
    broadcast_send,
)
from cityline.emergencies.forms import BroadcastForm
from cityline.emergencies.selectors import broadcast_list

LISTED = 50


@require_GET
@login_required
def broadcasts(request: StaffRequest) -> HttpResponse:
    access.require_read_emergencies(user=request.user)
    sent = list(broadcast_list()[:LISTED])
    counts = broadcast_delivery_counts(broadcast_ids=[b.pk for b in sent])
    context = {
        "rows": [(b, counts[b.pk]) for b in sent],
        "may_send": access.can_manage_emergencies(user=request.user),
    }
    return render(request, "emergencies/broadcasts.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def broadcast_new(request: StaffRequest) -> HttpResponse:
    """GET: the empty form. POST with `preview`: the form again with its audience counted, and
    the button that sends it. POST with `send`: sent once, whatever how often it is posted."""
    access.require_manage_emergencies(user=request.user)
    if request.method == "GET":
        form = BroadcastForm(initial={"key": uuid.uuid4()})
        return render(request, "emergencies/broadcast_new.html", {"form": form})
    form = BroadcastForm(request.POST)
    if not form.is_valid():
        return render(request, "emergencies/broadcast_new.html", {"form": form}, status=400)
    data = form.cleaned_data
    if "send" not in request.POST:
        audience = broadcast_audience(area_id=data["area"], service_group_id=data["group"])
        context = {"form": form, "audience": audience}
        return render(request, "emergencies/broadcast_new.html", context)
    try:
        broadcast, sent_now = broadcast_send(
            key=data["key"],
            words=form.words(),
            area_id=data["area"],
            service_group_id=data["group"],
            by=request.user,
            ip=client_address(request),
        )
    except DomainError as error:
        form_domain_error_add(form, error)
        return render(request, "emergencies/broadcast_new.html", {"form": form}, status=400)
    if sent_now:
        messages.success(
            request,
            _("Sent to %(email)s subscribers by e-mail and %(sms)s by text message.")
            % {"email": broadcast.email_audience, "sms": broadcast.sms_audience},
        )
    else:
        messages.info(request, _("This broadcast was sent already; it was not sent again."))
    return redirect("console:broadcasts")
