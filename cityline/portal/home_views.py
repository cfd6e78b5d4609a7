"""The home page as a service portal (report, check, find an answer first; the most-reported
services; requests near the resident) and the city's identity: its theme and logo."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from cityline.portal.forms import SearchForm
from cityline.portal.report_forms import DescribeForm
from cityline.portal.selectors import city_identity_get, city_logo_file, service_tiles
from cityline.portal.track_forms import TrackForm

# The theme and logo are named with the identity's version, so a browser keeps them a year.
LONG_CACHE_SECONDS = 365 * 24 * 3600


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "describe_form": DescribeForm(),
        "track_form": TrackForm(),
        "search_form": SearchForm(),
        "tiles": service_tiles(),
    }
    return render(request, "portal/home.html", context)


@require_GET
def city_theme(request: HttpRequest) -> HttpResponse:
    """The city's colour as the pages' accent: a stylesheet, since the pages allow no inline
    style."""
    identity = city_identity_get()
    response = HttpResponse(
        f":root {{ --accent: {identity.colour}; }}\n", content_type="text/css; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=LONG_CACHE_SECONDS)
    return response


@require_GET
def city_logo(request: HttpRequest) -> FileResponse:
    row = city_logo_file()
    if row is None:
        raise Http404("the city has no logo")
    response = FileResponse(row.logo.open("rb"), content_type="image/png")
    patch_cache_control(response, public=True, max_age=LONG_CACHE_SECONDS)
    return response
