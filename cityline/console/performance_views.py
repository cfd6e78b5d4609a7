"""The performance pages: volume beside the year before, SLA compliance with its drill-down to the
requests, hot spots, and the Charter monthly report. Every figure comes from
`analytics.queries`; `analytics.access` says whose."""

import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.http import StaffRequest
from cityline.analytics import access, charts, queries, reports, statpack
from cityline.analytics.queries import Place, Selection
from cityline.analytics.schema import month_of
from cityline.catalog.selectors import agency_list
from cityline.console.performance_forms import (
    DIMENSION_LABELS,
    DrillDownForm,
    PerformanceForm,
    SelectionForm,
)
from cityline.core import clock
from cityline.core.clients import client_address
from cityline.core.errors import InvalidInput
from cityline.geo.selectors import boundary_area_geometries
from cityline.servicerequests import access as requests_access
from cityline.surveys.selectors import ScoreTable, survey_score_tables

COMPLIANCE_ROWS = 100
HOT_SPOTS_LISTED = 20
PLACES_DRAWN = 2000
DRILL_DOWN_LIMIT = 500
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _agency(form: SelectionForm, agencies: frozenset[str] | None) -> str | None:
    """The agency the figures are kept to: any the person reads, their own when they read only
    some (the first of theirs when none was asked for)."""
    asked = form.cleaned_data["agency"] or None
    if agencies is None:
        return asked
    if asked is None:
        return sorted(agencies)[0]
    if asked not in agencies:
        raise PermissionDenied("this agency's figures are not yours to read")
    return asked


def _volume(form: PerformanceForm, selection: Selection) -> dict[str, object]:
    points = queries.volume_over_time(
        dimension=form.cleaned_data["dimension"],
        period=form.cleaned_data["period"],
        start=form.start,
        end=form.end,
        selection=selection,
    )
    by_period: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    by_key: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for point in points:
        for totals in (by_period[point.period], by_key[point.key]):
            totals[0] += point.requests
            totals[1] += point.year_before
    periods = [(day, now, before) for day, (now, before) in sorted(by_period.items())]
    return {
        "periods": periods,
        "keys": sorted(by_key.items(), key=lambda item: -item[1][0]),
        "chart": charts.paired_bars([(day.isoformat(), now, b) for day, now, b in periods]),
    }


def _drill_down_query(row: queries.ComplianceRow, selection: Selection) -> str | None:
    """The drill-down's filters for a row's requests; None for the requests outside every
    district, which no filter names apart."""
    if row.area is None:
        return None
    return urlencode(
        {
            "month": row.month,
            "agency": row.agency,
            "service_type": row.service_type,
            "layer": selection.layer or "",
            "area": row.area,
        }
    )


def _compliance(form: PerformanceForm, selection: Selection) -> dict[str, object]:
    rows = queries.sla_compliance(
        first_month=month_of(form.start),
        last_month=month_of(form.cleaned_data["date_to"]),
        selection=selection,
    )
    busiest = sorted(rows, key=lambda row: -row.requests)[:COMPLIANCE_ROWS]
    return {
        "rows": [(row, _drill_down_query(row, selection)) for row in busiest],
        "more": max(len(rows) - COMPLIANCE_ROWS, 0),
    }


def _shapes(place: Place, spots: list[queries.HotSpot], layer: str) -> list[charts.Shape]:
    if place == Place.CELL:
        return [charts.cell_shape(spot.key, spot.requests) for spot in spots]
    geometries = boundary_area_geometries(layer_slug=layer, codes=[spot.key for spot in spots])
    return [
        charts.area_shape(spot.key, geometries[spot.key], spot.requests)
        for spot in spots
        if spot.key in geometries
    ]


def _hot_spots(form: PerformanceForm, selection: Selection) -> dict[str, object]:
    place = form.cleaned_data["place"]
    spots = queries.hot_spots(place=place, start=form.start, end=form.end, selection=selection)
    shapes = _shapes(place, spots[:PLACES_DRAWN], selection.layer or "")
    return {
        "place": place,
        "spots": spots[:HOT_SPOTS_LISTED],
        "count": len(spots),
        "map": charts.choropleth(shapes),
        "geojson": charts.choropleth_geojson(shapes),
    }


def _survey_scores(form: PerformanceForm, selection: Selection) -> list[ScoreTable]:
    """Residents' satisfaction in the chosen days, the agency's alone when one is chosen."""
    first, last = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    zone = clock.city_timezone()
    return survey_score_tables(
        start=datetime.combine(first, time.min, tzinfo=zone),
        end=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
        agency_code=selection.agency,
    )


def _stat_packs(agencies: frozenset[str] | None) -> dict[str, object]:
    """The Stat pack form's agencies and month (the one that ended), and the stored packs."""
    first_of_month = clock.to_city_time(clock.now()).date().replace(day=1)
    return {
        "stat_packs": statpack.stat_packs_stored(agencies=agencies),
        "stat_pack_agencies": agency_list()
        if agencies is None
        else agency_list().filter(code__in=agencies),
        "last_month": month_of(first_of_month - timedelta(days=1)),
    }


@require_GET
@login_required
def performance(request: StaffRequest) -> HttpResponse:
    agencies = access.require_read_performance(user=request.user)
    form = PerformanceForm(request.GET)
    context: dict[str, object] = {"form": form, **_stat_packs(agencies)}
    if not form.is_valid():
        return render(request, "console/performance.html", context, status=400)
    selection = form.selection(agency=_agency(form, agencies))
    try:
        context.update(
            selection=selection,
            volume=_volume(form, selection),
            compliance=_compliance(form, selection),
            hot_spots=_hot_spots(form, selection),
            survey_scores=_survey_scores(form, selection),
            dimension_label=DIMENSION_LABELS[form.cleaned_data["dimension"]],
        )
    except InvalidInput as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return render(request, "console/performance.html", context, status=400)
    if access.can_read_reports(user=request.user):
        context["reports"] = reports.monthly_reports_stored()
    return render(request, "console/performance.html", context)


@require_GET
@login_required
def performance_requests(request: StaffRequest) -> HttpResponse:
    """The requests behind a figure, those the person may open linked to their pages."""
    agencies = access.require_read_performance(user=request.user)
    form = DrillDownForm(request.GET)
    if not form.is_valid():
        return render(request, "console/performance_requests.html", {"form": form}, status=400)
    selection = form.selection(agency=_agency(form, agencies))
    start, end = form.cleaned_data["bounds"]
    numbers = queries.tracking_numbers(
        start=start,
        end=end,
        selection=selection,
        subset=form.cleaned_data["subset"],
        late_reason=form.cleaned_data["late_reason"],
        limit=DRILL_DOWN_LIMIT,
    )
    visible = set(
        requests_access.requests_visible_to(request.user)
        .filter(tracking_number__in=numbers)
        .values_list("tracking_number", flat=True)
    )
    context = {
        "form": form,
        "numbers": [number for number in numbers if number in visible],
        "limit": DRILL_DOWN_LIMIT,
    }
    return render(request, "console/performance_requests.html", context)


@require_GET
@login_required
def monthly_report_download(request: StaffRequest) -> HttpResponse:
    """The Charter monthly report of a month (`month`, YYYY-MM), made now from the store, as CSV
    or PDF (`format`)."""
    access.require_read_reports(user=request.user)
    month, kind = request.GET.get("month", ""), request.GET.get("format", "pdf")
    if not MONTH.match(month):
        return HttpResponse("month: not a month (YYYY-MM)", status=400, content_type="text/plain")
    if kind not in reports.KINDS:
        return HttpResponse("format: csv or pdf", status=400, content_type="text/plain")
    report = reports.monthly_report(month=month)
    body, content_type = reports.monthly_report_render(report=report, kind=kind)
    audit_record(
        actor=request.user,
        action="analytics.report_downloaded",
        target=AuditTarget("monthly_report", month),
        details={"month": month, "format": kind},
        ip=client_address(request),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.monthly_report_filename(month=month, kind=kind)}"'
    )
    return response


@require_GET
@login_required
def monthly_report_stored(request: StaffRequest, name: str) -> HttpResponse:
    """A report the worker wrote, as it was written."""
    access.require_read_reports(user=request.user)
    stored = reports.monthly_report_stored_get(name=name)
    if stored is None:
        raise Http404("no such report")
    body, content_type = stored
    audit_record(
        actor=request.user,
        action="analytics.report_downloaded",
        target=AuditTarget("monthly_report", name),
        details={"file": name, "stored": True},
        ip=client_address(request),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
