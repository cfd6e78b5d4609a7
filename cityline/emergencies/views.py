"""The console's emergency pages: the one on (with its switch), the form that switches one on,
the record of past ones, and each emergency's page with the contacts it brought."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityline.accounts.http import StaffRequest
from cityline.console.forms import form_domain_error_add
from cityline.contacts.models import ContactChannel, ContactKind
from cityline.core.clients import client_address
from cityline.core.errors import DomainError
from cityline.emergencies import access
from cityline.emergencies.forms import EmergencyStartForm
from cityline.emergencies.selectors import emergency_contacts, emergency_get, emergency_list
from cityline.emergencies.services import emergency_end, emergency_start

LISTED = 50


def _list_page(
    request: StaffRequest, form: EmergencyStartForm | None, status: int = 200
) -> HttpResponse:
    emergencies = list(emergency_list()[:LISTED])
    ongoing = next((e for e in emergencies if e.ongoing), None)
    may_manage = access.can_manage_emergencies(user=request.user)
    if form is None and ongoing is None and may_manage:
        form = EmergencyStartForm()
    context = {
        "ongoing": ongoing,
        "past": [e for e in emergencies if not e.ongoing],
        "form": form if may_manage else None,
        "may_manage": may_manage,
    }
    return render(request, "emergencies/emergencies.html", context, status=status)


@require_GET
@login_required
def emergencies(request: StaffRequest) -> HttpResponse:
    access.require_read_emergencies(user=request.user)
    return _list_page(request, None)


@require_POST
@login_required
def emergency_switch_on(request: StaffRequest) -> HttpResponse:
    access.require_manage_emergencies(user=request.user)
    form = EmergencyStartForm(request.POST)
    if form.is_valid():
        try:
            emergency = emergency_start(
                words=form.words(),
                pinned_slugs=form.cleaned_data["pinned_articles"],
                service_type_id=form.cleaned_data["service_type"],
                by=request.user,
                ip=client_address(request),
            )
        except DomainError as error:
            form_domain_error_add(form, error)
        else:
            messages.success(
                request, _("%(title)s is on: every page shows its banner.") % {"title": emergency}
            )
            return redirect("console:emergencies")
    return _list_page(request, form, status=400)


def _emergency(emergency_id: int):
    emergency = emergency_get(emergency_id=emergency_id)
    if emergency is None:
        raise Http404("no such emergency")
    return emergency


@require_POST
@login_required
def emergency_switch_off(request: StaffRequest, emergency_id: int) -> HttpResponse:
    access.require_manage_emergencies(user=request.user)
    emergency = _emergency(emergency_id)
    try:
        emergency_end(emergency=emergency, by=request.user, ip=client_address(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(title)s is off.") % {"title": emergency})
    return redirect("console:emergency", emergency_id=emergency.pk)


@require_GET
@login_required
def emergency_detail(request: StaffRequest, emergency_id: int) -> HttpResponse:
    access.require_read_emergencies(user=request.user)
    emergency = _emergency(emergency_id)
    counts = emergency_contacts(emergency=emergency)
    channels, kinds = dict(ContactChannel.choices), dict(ContactKind.choices)
    context = {
        "emergency": emergency,
        "counts": counts,
        "by_channel": [(channels.get(c, c), n) for c, n in counts.by_channel.items()],
        "by_kind": [(kinds.get(k, _("not wrapped up")), n) for k, n in counts.by_kind.items()],
        "pinned": emergency.pinned_articles.order_by("title"),
        "may_manage": access.can_manage_emergencies(user=request.user),
    }
    return render(request, "emergencies/emergency.html", context)
