"""The public report form at /report/: say what is wrong, choose the service, place it, see
what is already reported nearby, answer the service's questions, send. Thin: suggestions from the
catalog, places from geo, the request filed through the same intake service as Open311; a form
sent twice files one request."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityline.accounts.idempotency import idempotency_key_answer
from cityline.catalog.matching import Audience
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_for_intake
from cityline.catalog.suggestions import service_type_catalog_by_group, service_type_suggest
from cityline.core.errors import DomainError, InvalidInput
from cityline.geo.selectors import address_suggest, city_contains_point
from cityline.portal.access import report_refused
from cityline.portal.report_forms import DescribeForm, NearbyForm, ReportForm, new_submission
from cityline.portal.views import HtmxRequest
from cityline.portal.words import STATUS_WORDS, day_in_words, photo_refusal
from cityline.servicerequests.models import Channel
from cityline.servicerequests.selectors import (
    NearbyRequest,
    service_request_get_by_tracking_number,
    service_request_list_open_nearby,
)
from cityline.servicerequests.services.intake import service_request_create
from cityline.servicerequests.services.photos import attachment_photos_add, photo_place_read

# The tracking numbers this browser filed, so its confirmation pages open for it alone.
SESSION_FILED = "portal-reported"
SUGGESTIONS = 5


def nearby_rows(requests: list[NearbyRequest]) -> list[dict[str, Any]]:
    return [
        {
            "request": nearby,
            "status_words": STATUS_WORDS.get(nearby.status, nearby.status),
            "promised_day": day_in_words(nearby.expected_at) if nearby.expected_at else "",
            "requested_day": day_in_words(nearby.requested_at),
        }
        for nearby in requests
    ]


def _choose(request: HtmxRequest, *, unknown: str = "") -> HttpResponse:
    form = DescribeForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    suggestions = (
        service_type_suggest(
            text=text, language=request.LANGUAGE_CODE, limit=SUGGESTIONS, audience=Audience.PUBLIC
        )
        if text
        else []
    )
    context = {
        "form": form,
        "text": text,
        "suggestions": suggestions,
        "unknown": unknown,
        "nav": "report",
    }
    if request.htmx and not unknown:
        return render(request, "portal/_report_suggestions.html", context)
    context["groups"] = service_type_catalog_by_group(audience=Audience.PUBLIC)
    status = 404 if unknown else (400 if form.errors else 200)
    return render(request, "portal/report_choose.html", context, status=status)


def _form_page(
    request: HttpRequest,
    form: ReportForm,
    *,
    nearby: list[NearbyRequest] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "service_type": form.service_type,
        "nearby": nearby_rows(nearby) if nearby is not None else None,
        "looked": nearby is not None,
        "tiles_url": settings.CITYLINE_MAP_TILES_URL,
        "tiles_attribution": settings.CITYLINE_MAP_TILES_ATTRIBUTION,
        "nav": "report",
    }
    return render(request, "portal/report.html", context, status=status)


def _nearby_of(form: ReportForm) -> list[NearbyRequest] | None:
    if form.place is None or form.place.latitude is None or form.place.longitude is None:
        return None
    return service_request_list_open_nearby(
        latitude=form.place.latitude,
        longitude=form.place.longitude,
        service_type_id=form.service_type.pk,
    )


def _file(request: HttpRequest, form: ReportForm, service_type: ServiceType) -> dict[str, str]:
    assert form.place is not None
    created = service_request_create(
        service_type=service_type,
        description=form.cleaned_data["description"].strip(),
        location=form.place,
        channel=Channel.WEB,
        answers=form.answers(),
        requester=form.requester(language=request.LANGUAGE_CODE),
    )
    attachment_photos_add(request=created, photos=form.cleaned_data["photos"], by=None)
    return {"tracking_number": created.tracking_number}


@require_http_methods(["GET", "POST"])
def report(request: HtmxRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("service", "")
    service_type = service_type_for_intake(code=code) if code else None
    if service_type is None:
        if request.method == "POST" or code:
            return _choose(request, unknown=code or "?")
        return _choose(request)
    if request.method == "GET":
        form = ReportForm(
            service_type=service_type,
            initial={"submission": new_submission(), "description": request.GET.get("q", "")},
        )
        return _form_page(request, form)
    form = ReportForm(request.POST, request.FILES, service_type=service_type)
    if "look" in request.POST:
        form.is_valid()
        form.place_errors_only()
        return _form_page(
            request, form, nearby=_nearby_of(form), status=400 if form.errors else 200
        )
    if report_refused(request=request):
        return render(request, "portal/report_refused.html", status=429)
    if not form.is_valid():
        return _form_page(request, form, nearby=_nearby_of(form), status=400)
    token = form.cleaned_data["submission"]
    try:
        answer, _replayed = idempotency_key_answer(
            api_key=None,
            key=f"portal-report:{token}",
            # Whatever the form holds when it is sent again, it is the same report.
            fingerprint="portal-report",
            answer=lambda: _file(request, form, service_type),
        )
    except DomainError as refused:
        form.add_service_error(refused)
        return _form_page(request, form, status=400)
    number = answer["tracking_number"]
    filed = request.session.get(SESSION_FILED, [])
    if number not in filed:
        request.session[SESSION_FILED] = [*filed[-19:], number]
    return redirect("portal:report-sent", tracking_number=number)


@require_GET
def report_sent(request: HttpRequest, tracking_number: str) -> HttpResponse:
    if tracking_number not in request.session.get(SESSION_FILED, []):
        raise Http404("not a request this browser filed")
    filed = service_request_get_by_tracking_number(tracking_number=tracking_number)
    if filed is None:
        raise Http404("no such request")
    context = {
        "tracking_number": filed.tracking_number,
        "service_name": filed.service_type.name,
        "promised_day": day_in_words(filed.expected_at) if filed.expected_at else "",
    }
    return render(request, "portal/report_sent.html", context)


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """The open requests near a point (of one service, if named), as a part of a page."""
    form = NearbyForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/_nearby.html", {"form": form}, status=400)
    service_type = form.cleaned_data["service_type"]
    rows = service_request_list_open_nearby(
        latitude=form.cleaned_data["lat"],
        longitude=form.cleaned_data["long"],
        service_type_id=service_type.pk if service_type else None,
    )
    context = {"form": form, "nearby": nearby_rows(rows), "service_type": service_type}
    return render(request, "portal/_nearby.html", context)


@require_GET
def addresses(request: HttpRequest) -> JsonResponse:
    """Addresses starting with what the resident typed, for the report form's address search."""
    text = request.GET.get("q", "")[:255]
    found = address_suggest(text=text) if "\x00" not in text else []
    return JsonResponse(
        {
            "addresses": [
                {"address": a.address, "lat": a.latitude, "lon": a.longitude} for a in found
            ],
            "none": _("No address starts like this."),
        }
    )


@require_POST
def photo_place(request: HttpRequest) -> JsonResponse:
    """Where the resident's photo was taken, from its EXIF, so the form can offer to put the pin
    there. Only the coordinates are read and nothing is kept: the photo is sent again with the
    report, which stores it re-encoded without EXIF."""
    upload = request.FILES.get("photo")
    if upload is None:
        return JsonResponse({"error": _("Choose a photo.")}, status=400)
    try:
        place = photo_place_read(upload=upload)
    except InvalidInput:
        return JsonResponse({"error": photo_refusal()}, status=400)
    if place is None:
        return JsonResponse({"place": None})
    return JsonResponse(
        {
            "place": {
                "lat": place.latitude,
                "lon": place.longitude,
                "inside": city_contains_point(latitude=place.latitude, longitude=place.longitude),
            }
        }
    )
