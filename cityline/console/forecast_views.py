"""The demand forecast and the staffing plan: eight weeks of calls or requests with their backtest
error, and the call-takers each half hour needs, on a page and as CSV. Figures come from
`analytics.forecast`; `analytics.access` says whose."""

import csv
import io
from collections import defaultdict
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.http import StaffRequest
from cityline.analytics import access
from cityline.analytics.forecast import HalfHour, Plan, plan_make
from cityline.console.forecast_forms import REQUESTS, ForecastForm
from cityline.core.clients import client_address

# What an empty form means, shown in its fields.
DEFAULTS = {"series": "calls", "level": "80", "target_seconds": "30"}

CSV_COLUMNS = (
    "date",
    "half_hour_start",
    "calls",
    "agents",
    "service_level",
    "average_speed_of_answer_seconds",
    "occupancy",
)


def _form(request: StaffRequest) -> ForecastForm:
    data = request.GET.copy()
    for name, value in DEFAULTS.items():
        data.setdefault(name, value)
    return ForecastForm(data)


def _plan(form: ForecastForm) -> Plan:
    data = form.cleaned_data
    return plan_make(
        requests=data["series"] == REQUESTS,
        channel=data["channel"] or None,
        service_group=data["service_group"] or None,
        handle_seconds=data["handle_seconds"],
        target_seconds=data["target_seconds"],
        level=data["level"],
    )


def _days(plan: Plan) -> list[tuple[date, float, float | None, int | None, float | None]]:
    """Per forecast day: its demand, its calls, the most agents a half hour needs and the
    agent-hours of the day."""
    peak: dict[date, int] = defaultdict(int)
    hours: dict[date, float] = defaultdict(float)
    for half in plan.half_hours:
        peak[half.day] = max(peak[half.day], half.staffing.agents)
        hours[half.day] += half.staffing.agents / 2
    calls = dict(plan.calls.days) if plan.calls else {}
    staffed = bool(plan.half_hours)
    return [
        (
            day,
            value,
            calls.get(day),
            peak[day] if staffed else None,
            hours[day] if staffed else None,
        )
        for day, value in (plan.demand.days if plan.demand else [])
    ]


@require_GET
@login_required
def forecast(request: StaffRequest) -> HttpResponse:
    access.require_plan_staffing(user=request.user)
    form = _form(request)
    context: dict[str, object] = {"form": form}
    if not form.is_valid():
        return render(request, "console/forecast.html", context, status=400)
    plan = _plan(form)
    forecast_days = [day for day, _ in plan.calls.days] if plan.calls else []
    day = form.cleaned_data["day"] or (forecast_days[0] if forecast_days else None)
    if form.cleaned_data["day"] and day not in forecast_days:
        form.add_error("day", "not one of the forecast's days")
        return render(request, "console/forecast.html", context, status=400)
    half_hours: list[HalfHour] = [half for half in plan.half_hours if half.day == day]
    context.update(
        plan=plan,
        days=_days(plan),
        day=day,
        half_hours=half_hours,
        mape_percent=plan.demand.mape * 100
        if plan.demand and plan.demand.mape is not None
        else None,
        level_percent=round(form.cleaned_data["level"] * 100),
        csv_query=request.GET.urlencode(),
    )
    return render(request, "console/forecast.html", context)


@require_GET
@login_required
def staffing_csv(request: StaffRequest) -> HttpResponse:
    """Every forecast half hour's calls and agents, as CSV."""
    access.require_plan_staffing(user=request.user)
    form = _form(request)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return HttpResponse(f"{field}: {errors[0]}", status=400, content_type="text/plain")
    plan = _plan(form)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for half in plan.half_hours:
        staffing = half.staffing
        writer.writerow(
            (
                half.day.isoformat(),
                half.start.strftime("%H:%M"),
                f"{staffing.calls:.2f}",
                staffing.agents,
                f"{staffing.service_level:.4f}",
                f"{staffing.average_speed_of_answer:.1f}",
                f"{staffing.occupancy:.4f}",
            )
        )
    audit_record(
        actor=request.user,
        action="analytics.staffing_downloaded",
        target=AuditTarget(
            "staffing_plan", plan.half_hours[0].day.isoformat() if plan.half_hours else ""
        ),
        details={key: str(value) for key, value in form.cleaned_data.items()},
        ip=client_address(request),
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="staffing-plan.csv"'
    return response
