"""The open-data page at /open-data/ and its files: public, no sign-in, no JavaScript. Only the
files the latest export's manifest names are served."""

from typing import NamedTuple

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cityline.analytics.opendata import (
    CELL,
    EXACT,
    SCHEMA_VERSION,
    open_data_file,
    open_data_latest,
)


class Column(NamedTuple):
    name: str
    kind: Promise
    meaning: Promise
    stable: bool


TEXT, YES_NO, TIME, NUMBER = _("text"), _("true or false"), _("time (UTC)"), _("number")

# The data dictionary: every column of the export, in order; a test holds it to the schema.
DICTIONARY = (
    Column(
        "service_request_id",
        TEXT,
        _(
            "The request's public tracking number, the same as the Open311 service_request_id. "
            "It is never reused and never changes."
        ),
        True,
    ),
    Column(
        "service_code",
        TEXT,
        _("The service type's code, the same as the Open311 service_code."),
        True,
    ),
    Column("service_name", TEXT, _("The service type's name."), False),
    Column("service_group", TEXT, _("The group the service type belongs to."), False),
    Column("agency_code", TEXT, _("The code of the agency responsible."), True),
    Column("agency_name", TEXT, _("The agency's name."), False),
    Column(
        "channel",
        TEXT,
        _(
            "How the request came in: web, mobile, phone, email, sms, walk_in, social, open311, "
            "staff, import or unknown."
        ),
        False,
    ),
    Column("proactive", YES_NO, _("True when the city filed the request itself."), False),
    Column("priority", TEXT, _("low, normal, high or urgent."), False),
    Column(
        "status",
        TEXT,
        _(
            "Where the request stands in Cityline: new, acknowledged, in_progress, a waiting "
            "state, or closed."
        ),
        False,
    ),
    Column("open311_status", TEXT, _("open or closed, as Open311 says it."), False),
    Column(
        "resolution",
        TEXT,
        _(
            "How a closed request ended (completed, duplicate, referred and others); empty "
            "while open."
        ),
        False,
    ),
    Column("requested_at", TIME, _("When the city received the request."), False),
    Column("expected_at", TIME, _("The time the city promised to close it by."), False),
    Column("closed_at", TIME, _("When it was closed; empty while open."), False),
    Column("updated_at", TIME, _("When it last changed."), False),
    Column(
        "on_time",
        YES_NO,
        _("True when closed by the promised time, false when late; empty while open."),
        False,
    ),
    Column(
        "description",
        TEXT,
        _(
            "What the resident wrote, with e-mail addresses, phone numbers and names removed; "
            "empty for the service types whose text is left out."
        ),
        False,
    ),
    Column(
        "status_notes",
        TEXT,
        _("The city's latest public note on the request, scrubbed the same way."),
        False,
    ),
    Column(
        "address",
        TEXT,
        _("The address of the problem; empty for sensitive service types."),
        False,
    ),
    Column("zipcode", TEXT, _("The ZIP code of the problem."), False),
    Column(
        "areas",
        TEXT,
        _(
            "The districts the location falls in, as layer=code pairs separated by semicolons. "
            "Area codes never change meaning."
        ),
        True,
    ),
    Column(
        "latitude",
        NUMBER,
        _("Latitude (WGS 84); for sensitive service types, the centre of the H3 cell."),
        False,
    ),
    Column(
        "longitude",
        NUMBER,
        _("Longitude (WGS 84); for sensitive service types, the centre of the H3 cell."),
        False,
    ),
    Column(
        "location_precision",
        TEXT,
        _("exact, or h3_cell when the location was generalised to its cell."),
        False,
    ),
    Column("h3_cell", TEXT, _("The H3 cell the location lies in."), False),
    Column(
        "demand",
        NUMBER,
        _("How many residents asked for this: the reporter, followers and merged duplicates."),
        False,
    ),
)


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    context = {
        "export": open_data_latest(),
        "schema_version": SCHEMA_VERSION,
        "dictionary": DICTIONARY,
        "resolution": settings.CITYLINE_OPEN_DATA_H3_RESOLUTION,
        "hours": max(1, round(settings.CITYLINE_OPEN_DATA_HOURS)),
        "exact": EXACT,
        "cell": CELL,
    }
    return render(request, "analytics/open_data.html", context)


@require_GET
def open_data_download(request: HttpRequest, name: str) -> FileResponse:
    found = open_data_file(name=name)
    if found is None:
        raise Http404("no such open-data file")
    path, content_type = found
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404("no such open-data file") from None
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
