"""Filing a request from the desk, within the contact: the service type suggested from what the
caller says, then the place (addresses suggested as typed, the map, the open requests of that
type nearby to follow instead), the type's questions and the caller's details with their consent,
then the script with the tracking number and the promised day to read out.

Each step is a plain form that works as a page of its own; with htmx on, only the filing panel of
the contact's page is swapped."""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from cityline.accounts.http import StaffRequest as SignedInRequest
from cityline.catalog.matching import Audience
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import (
    service_type_get_with_questions,
    service_type_list_active,
    service_type_list_public,
)
from cityline.catalog.suggestions import service_type_suggest
from cityline.console.forms import DeskFilingForm, DeskFollowForm, DeskPlaceForm, DeskSayForm
from cityline.contacts import access
from cityline.contacts.models import Contact
from cityline.contacts.services import (
    DeskFiling,
    contact_request_file,
    contact_request_follow,
)
from cityline.core.errors import DomainError
from cityline.geo.selectors import address_suggest, location_resolve
from cityline.portal.words import day_in_words
from cityline.servicerequests.access import requests_visible_to, service_request_get_for_user
from cityline.servicerequests.selectors import service_request_list_open_nearby
from cityline.servicerequests.services.intake import Location

SUGGESTIONS_SHOWN = 5


class StaffRequest(SignedInRequest):
    """A signed-in request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


def _page(
    request: StaffRequest, fragment: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The filing panel alone for htmx; the panel on a page of its own otherwise."""
    template = fragment if request.htmx else "console/desk_file.html"
    return render(request, template, {**context, "fragment": fragment}, status=status)


def _staff_types(request: StaffRequest) -> bool:
    return access.can_file_staff_only_types(user=request.user)


def _types(request: StaffRequest) -> list[ServiceType]:
    if _staff_types(request):
        return service_type_list_active()
    return list(service_type_list_public().select_related("agency").order_by("name", "code"))


def _service_type(request: StaffRequest, code: str) -> ServiceType | None:
    return service_type_get_with_questions(code=code, public_only=not _staff_types(request))


def _language(request: StaffRequest, contact: Contact) -> str:
    return contact.language or request.LANGUAGE_CODE


def _choose(
    request: StaffRequest, contact: Contact, say: DeskSayForm, *, unknown: str = ""
) -> HttpResponse:
    said = say.cleaned_data["said"] if say.is_valid() else ""
    suggestions = (
        service_type_suggest(
            text=said,
            language=_language(request, contact),
            limit=SUGGESTIONS_SHOWN,
            audience=Audience.STAFF if _staff_types(request) else Audience.PUBLIC,
        )
        if said
        else []
    )
    context = {
        "contact": contact,
        "say": say,
        "said": said,
        "suggestions": suggestions,
        "types": _types(request),
        "unknown_service": unknown,
    }
    status = 400 if unknown or say.errors else 200
    return _page(request, "console/_desk_file_choose.html", context, status)


def _form_page(
    request: StaffRequest, contact: Contact, form: DeskFilingForm, status: int = 200
) -> HttpResponse:
    # Addresses are suggested as they are typed, from the city's own address points.
    form.fields["address"].widget.attrs.update(
        {
            "list": "address-options",
            "autocomplete": "off",
            "autofocus": True,
            "hx-get": reverse("console:desk_file_addresses", args=[contact.pk]),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": "#address-options",
        }
    )
    context = {"contact": contact, "form": form, "service_type": form.service_type}
    return _page(request, "console/_desk_file_form.html", context, status)


@require_GET
@login_required
def desk_file(request: StaffRequest, contact_id: int) -> HttpResponse:
    """What the caller says gives the suggested types; a type chosen gives its form, filled in
    with what the caller said and the details they gave when the contact started."""
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    say = DeskSayForm(request.GET)
    code = request.GET.get("service", "").strip()
    if not code:
        return _choose(request, contact, say)
    service_type = _service_type(request, code)
    if service_type is None:
        return _choose(request, contact, say, unknown=code)
    form = DeskFilingForm(
        service_type=service_type,
        initial={
            "description": say.cleaned_data["said"] if say.is_valid() else "",
            "caller_name": contact.caller_name,
            "caller_phone": contact.caller_phone,
            "caller_email": contact.caller_email,
            "filing_key": uuid.uuid4().hex,
        },
    )
    return _form_page(request, contact, form)


@require_POST
@login_required
def desk_file_submit(request: StaffRequest, contact_id: int) -> HttpResponse:
    """File it; the same form sent again shows the request it made, and files nothing more."""
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    service_type = _service_type(request, request.POST.get("service", "").strip())
    if service_type is None:
        return _choose(request, contact, DeskSayForm(), unknown=request.POST.get("service", "-"))
    form = DeskFilingForm(request.POST, request.FILES, service_type=service_type)
    if not form.is_valid():
        return _form_page(request, contact, form, status=400)
    data = form.cleaned_data
    filing = DeskFiling(
        service_type=service_type,
        description=data["description"],
        location=Location(latitude=data["lat"], longitude=data["long"], address=data["address"]),
        answers=form.answers(),
        photos=data["photos"],
        requester=form.requester(language=_language(request, contact)),
    )
    try:
        filed = contact_request_file(contact=contact, filing=filing, key=data["filing_key"])
    except DomainError as refused:
        form.add_service_error(refused)
        return _form_page(request, contact, form, status=400)
    sr = filed.request
    context = {
        "contact": contact,
        "filed": sr,
        "again": not filed.created,
        "promised_day": day_in_words(sr.expected_at) if sr.expected_at else "",
    }
    return _page(request, "console/_desk_filed.html", context)


def _point(form: DeskPlaceForm) -> tuple[float, float] | None:
    """The place the form names: its coordinates, or its address's as geocoded."""
    data = form.cleaned_data
    if data["lat"] is not None and data["long"] is not None:
        return data["lat"], data["long"]
    if not data["address"]:
        return None
    found = location_resolve(latitude=None, longitude=None, address=data["address"])
    if found.latitude is None or found.longitude is None:
        return None
    return found.latitude, found.longitude


@require_GET
@login_required
def desk_file_nearby(request: StaffRequest, contact_id: int) -> HttpResponse:
    """The open requests of the type near the place, first, with "follow this one instead"; and
    the place on the map."""
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    service_type = _service_type(request, request.GET.get("service", "").strip())
    place = DeskPlaceForm(request.GET)
    context: dict[str, Any] = {"contact": contact, "place": place, "nearby": [], "point": None}
    if place.is_valid() and service_type is None:
        place.add_error(None, _("Choose a service type first."))
    if place.errors or service_type is None:
        return render(request, "console/_desk_file_nearby.html", context, status=400)
    point = _point(place)
    if point is not None:
        context["point"] = point
        context["nearby"] = service_request_list_open_nearby(
            latitude=point[0],
            longitude=point[1],
            service_type_id=service_type.pk,
            limit=5,
            among=requests_visible_to(request.user),
        )
    return render(request, "console/_desk_file_nearby.html", context)


@require_GET
@login_required
def desk_file_addresses(request: StaffRequest, contact_id: int) -> HttpResponse:
    """Known addresses starting with what was typed, as the address field's suggestions."""
    access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    typed = request.GET.get("address", "")[:255]
    context = {"addresses": address_suggest(text=typed)}
    return render(request, "console/_desk_file_addresses.html", context)


@require_POST
@login_required
def desk_follow(request: StaffRequest, contact_id: int, tracking_number: str) -> HttpResponse:
    """The caller's problem is already reported: they follow that request instead of filing."""
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    # Outside the agent's scope, a request is as if it did not exist.
    followed = service_request_get_for_user(user=request.user, tracking_number=tracking_number)
    form = DeskFollowForm(request.POST)
    context: dict[str, Any] = {"contact": contact, "followed": followed, "follow_form": form}
    if not form.is_valid():
        return _page(request, "console/_desk_followed.html", context, status=400)
    try:
        contact_request_follow(contact=contact, request=followed, email=form.email())
    except DomainError as refused:
        context["refused"] = refused.message
        return _page(request, "console/_desk_followed.html", context, status=400)
    context.update(
        done=True,
        emailed=bool(form.email()),
        promised_day=day_in_words(followed.expected_at) if followed.expected_at else "",
    )
    return _page(request, "console/_desk_followed.html", context)
