"""The inspector's page: a proactive request filed from the field on a phone, in two steps (the
type, then its questions, the location, the description and photos), then a confirmation with the
tracking number. Who may file what is servicerequests.access's `can_file_proactive`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cityline.accounts.http import StaffRequest
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_list_active
from cityline.console.inspect_forms import InspectionForm
from cityline.core.errors import DomainError
from cityline.servicerequests.access import (
    can_file_proactive,
    can_view_filing_confirmation,
    proactive_agency_ids,
)
from cityline.servicerequests.selectors import service_request_get_by_tracking_number
from cityline.servicerequests.services.photos import attachment_photos_add
from cityline.servicerequests.services.proactive import (
    proactive_location,
    proactive_request_create,
    proactive_service_type,
)


def _types_for(request: StaffRequest) -> list[ServiceType]:
    """The types the inspector may file, their own agencies' first."""
    user = request.user
    allowed = proactive_agency_ids(user=user)
    types = service_type_list_active(agency_ids=allowed)
    own = set(allowed or ()) | ({user.agency_id} if user.agency_id else set())
    return sorted(types, key=lambda t: t.agency_id not in own)


def _require_inspector(request: StaffRequest) -> None:
    if not can_file_proactive(user=request.user):
        raise PermissionDenied("only agency staff, 311 supervisors and administrators file here")


def _chosen_type(request: StaffRequest, code: str) -> ServiceType | None:
    try:
        return proactive_service_type(code=code, by=request.user)
    except DomainError:
        return None


@require_http_methods(["GET", "POST"])
@login_required
def inspect(request: StaffRequest) -> HttpResponse:
    _require_inspector(request)
    code = (request.POST if request.method == "POST" else request.GET).get("service_code", "")
    service_type = _chosen_type(request, code) if code else None
    if service_type is None:
        status = 400 if code else 200
        context = {"types": _types_for(request), "unknown_code": code}
        return render(request, "console/inspect_choose.html", context, status=status)
    if request.method == "GET":
        form = InspectionForm(service_type=service_type)
        return render(request, "console/inspect.html", {"form": form})
    form = InspectionForm(request.POST, request.FILES, service_type=service_type)
    if form.is_valid():
        try:
            with transaction.atomic():
                location = proactive_location(
                    latitude=form.cleaned_data["lat"],
                    longitude=form.cleaned_data["long"],
                    address=form.cleaned_data["address"],
                )
                created = proactive_request_create(
                    service_type=service_type,
                    description=form.cleaned_data["description"],
                    location=location,
                    answers=form.answers(),
                    by=request.user,
                )
                attachment_photos_add(
                    request=created, photos=form.cleaned_data["photos"], by=request.user
                )
        except DomainError as refused:
            form.add_service_error(refused)
        else:
            return redirect("console:inspect_filed", tracking_number=created.tracking_number)
    return render(request, "console/inspect.html", {"form": form}, status=400)


@require_GET
@login_required
def inspect_filed(request: StaffRequest, tracking_number: str) -> HttpResponse:
    _require_inspector(request)
    filed = service_request_get_by_tracking_number(tracking_number=tracking_number)
    if filed is None or not can_view_filing_confirmation(user=request.user, request=filed):
        raise Http404("no such request")
    return render(request, "console/inspect_filed.html", {"filed": filed})
