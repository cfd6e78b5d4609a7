"""The neighborhood pages: the public requests near an address or in a district, as a table that
works without JavaScript and on a map, and the map's data for a viewport. Thin: reads through the
servicerequests neighborhood selectors (public columns only, hidden types left out)."""

from typing import Any

import h3
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityline.geo.cells import h3_neighbourhood
from cityline.geo.selectors import AreaOutline, boundary_area_outline, location_resolve
from cityline.notifications.area_subscriptions import area_subscription_start
from cityline.portal.access import subscribe_refused
from cityline.portal.neighborhood_forms import (
    MAP_MAX_DAYS,
    NeighborhoodForm,
    SubscribeForm,
    ViewportForm,
    catalog_choices,
    start_of_day,
)
from cityline.portal.words import STATUS_WORDS, day_in_words
from cityline.servicerequests.neighborhood import (
    CellCount,
    PlaceRequest,
    service_request_cells_in_view,
    service_request_page_in_place,
    service_request_points_in_view,
)

PAGE_SIZE = 25
# Rings of H3 cells (at the stored resolution, about 175 m across) around an address: about
# 600 m each way, a short walk.
NEAR_RINGS = 3
# From this zoom level the map shows each request; below it, counts per H3 cell.
POINTS_ZOOM = 16
MAX_POINTS = 500
# A browser may keep a viewport's data a minute while the reader pans back and forth.
MAP_DATA_MAX_AGE = 60


def _rows(rows: list[PlaceRequest]) -> list[dict[str, Any]]:
    return [
        {
            "tracking_number": row.tracking_number,
            "service_name": row.service_name,
            "status": row.status,
            "status_words": STATUS_WORDS.get(row.status, row.status),
            "received": day_in_words(row.requested_at),
            "received_iso": row.requested_at.isoformat(),
            "address": row.address,
        }
        for row in rows
    ]


def _map_base() -> dict[str, str]:
    return {
        "tiles_url": settings.CITYLINE_MAP_TILES_URL,
        "tiles_attribution": settings.CITYLINE_MAP_TILES_ATTRIBUTION,
        "base_layer": reverse("geo:base-layer"),
    }


def _page_link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


FILTER_FIELDS = ("group", "service", "state")


def _map_query(form: NeighborhoodForm) -> str:
    """The map's data asks for what the table shows: the same filters and the same days."""
    query = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        if form.cleaned_data.get(name):
            query[name] = form.cleaned_data[name]
    start, end = form.period()
    if start:
        query["start"] = start.isoformat()
    if end:
        query["end"] = end.isoformat()
    return query.urlencode()


def _heading(*, map_first: bool, place_name: str) -> str:
    if place_name:
        return _("Requests in %(place)s") % {"place": place_name}
    return _("Map of requests") if map_first else _("Requests in your neighborhood")


def _refused(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    context["heading"] = _heading(map_first=context["map_first"], place_name="")
    return render(request, "portal/neighborhood.html", context, status=400)


def _neighborhood(request: HttpRequest, *, map_first: bool) -> HttpResponse:
    catalog = catalog_choices()
    form = NeighborhoodForm(request.GET, catalog=catalog)
    context: dict[str, Any] = {
        "form": form,
        "map_first": map_first,
        "map_base": _map_base(),
        "map_max_days": MAP_MAX_DAYS,
    }
    if not form.is_valid():
        return _refused(request, context)
    data = form.cleaned_data
    page = data.get("page") or 1
    offset = (page - 1) * PAGE_SIZE
    area: AreaOutline | None = None
    cells: list[str] | None = None
    center: tuple[float, float] | None = None
    if data.get("address"):
        place = location_resolve(latitude=None, longitude=None, address=data["address"])
        if place.latitude is None or place.longitude is None:
            form.add_error("address", _("We could not find this address in the city."))
            return _refused(request, context)
        center = (place.latitude, place.longitude)
        cells = h3_neighbourhood(cell=place.h3_cell, rings=NEAR_RINGS)
        context["place_name"] = place.address or data["address"]
    elif data.get("area"):
        area = boundary_area_outline(key=data["area"])
        if area is None:
            form.add_error("area", _("Choose a district from the list."))
            return _refused(request, context)
        context["place_name"] = area.name
    rows = service_request_page_in_place(
        filters=form.filters(),
        offset=offset,
        limit=PAGE_SIZE + 1,
        area_id=area.id if area else None,
        cells=cells,
    )
    start, end = form.period()
    context.update(
        {
            "results": True,
            "heading": _heading(map_first=map_first, place_name=context.get("place_name", "")),
            "rows": _rows(rows[:PAGE_SIZE]),
            "page": page,
            "previous_link": _page_link(request, page - 1) if page > 1 else "",
            "next_link": _page_link(request, page + 1) if len(rows) > PAGE_SIZE else "",
            "first_number": offset + 1,
            "area": area,
            "center": center,
            "period_start": day_in_words(start_of_day(start)) if start else "",
            "period_end": day_in_words(start_of_day(end)) if end else "",
            "map_shown": not form.map_period_too_long(),
            "map_query": _map_query(form),
            "subscribe_form": SubscribeForm(
                catalog=catalog,
                initial={
                    "area": data.get("area") or "",
                    "group": data.get("group") or "",
                    "service": data.get("service") or "",
                },
            ),
        }
    )
    return render(request, "portal/neighborhood.html", context)


@require_GET
def neighborhood(request: HttpRequest) -> HttpResponse:
    """`/neighborhood/`: where first, then the requests there."""
    return _neighborhood(request, map_first=False)


@require_GET
def city_map(request: HttpRequest) -> HttpResponse:
    """`/map/`: the same page, the map first."""
    return _neighborhood(request, map_first=True)


def _resolution_for(zoom: int) -> int:
    """The H3 resolution whose cells look a finger wide at this zoom level: res 9 (the stored
    one, about 175 m across) at zoom 14 and closer, one coarser per zoom level out."""
    return max(4, min(settings.CITYLINE_H3_RESOLUTION, zoom - 5))


def _clusters(cells: list[CellCount], resolution: int) -> list[dict[str, Any]]:
    merged: dict[str, list[float]] = {}
    for cell in cells:
        parent = (
            h3.cell_to_parent(cell.cell, resolution)
            if resolution < h3.get_resolution(cell.cell)
            else cell.cell
        )
        total = merged.setdefault(parent, [0, 0.0, 0.0])
        total[0] += cell.requests
        total[1] += cell.latitude * cell.requests
        total[2] += cell.longitude * cell.requests
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(lon / count, 6), round(lat / count, 6)],
            },
            "properties": {"count": int(count)},
        }
        for count, lat, lon in merged.values()
    ]


def _points(form: ViewportForm) -> list[dict[str, Any]]:
    points = service_request_points_in_view(
        viewport=form.cleaned_data["bbox"], filters=form.filters(), limit=MAX_POINTS
    )
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(point.longitude, 6), round(point.latitude, 6)],
            },
            "properties": {
                "number": point.tracking_number,
                "service": point.service_name,
                "status": point.status,
                "status_words": str(STATUS_WORDS.get(point.status, point.status)),
                "received": day_in_words(point.requested_at),
                "url": reverse("track:request", args=[point.tracking_number]),
            },
        }
        for point in points
    ]


@require_GET
def map_data(request: HttpRequest) -> HttpResponse:
    """`/map/data.geojson`: the public requests in a viewport as GeoJSON, counted per H3 cell
    below POINTS_ZOOM, each one from it (the newest MAX_POINTS). Errors as
    `{"errors": {field: [message, …]}}` with 400."""
    form = ViewportForm(request.GET, catalog=catalog_choices())
    if not form.is_valid():
        errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    zoom = form.cleaned_data["zoom"]
    if zoom >= POINTS_ZOOM:
        features, kind = _points(form), "points"
    else:
        cells = service_request_cells_in_view(
            viewport=form.cleaned_data["bbox"], filters=form.filters()
        )
        features, kind = _clusters(cells, _resolution_for(zoom)), "clusters"
    body = {
        "type": "FeatureCollection",
        "kind": kind,
        "truncated": kind == "points" and len(features) == MAX_POINTS,
        "features": features,
    }
    response = JsonResponse(body, content_type="application/geo+json")
    # Private: the words in it follow the reader's language.
    patch_cache_control(response, private=True, max_age=MAP_DATA_MAX_AGE)
    return response


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """`POST /neighborhood/subscribe/`: an e-mail subscription to the page's district and topic.
    The same answer whether or not the address was subscribed: it reveals nothing."""
    form = SubscribeForm(request.POST, catalog=catalog_choices())
    if subscribe_refused(request=request):
        form.add_error(
            None,
            _("Many requests came from your connection just now. Please try again in an hour."),
        )
        return render(request, "portal/subscribe.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "portal/subscribe.html", {"form": form}, status=400)
    area_subscription_start(
        email=form.cleaned_data["email"],
        language=request.LANGUAGE_CODE,
        topic=form.topic(),
        frequency=form.cleaned_data["frequency"],
    )
    return redirect("neighborhood:subscribe-sent")


@require_GET
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/subscribe_sent.html")
