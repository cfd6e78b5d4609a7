"""The contact center's figures for a period and queue, on a page and as CSV."""

import csv
from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityline.accounts.audit import audit_record
from cityline.accounts.http import StaffRequest
from cityline.console.forms import ContactFiguresForm
from cityline.contacts import access
from cityline.contacts.selectors import DEFAULT_TARGET, ContactCenterFigures, contact_center_figures
from cityline.core import clock
from cityline.core.clients import client_address
from cityline.surveys.models import SurveyKind
from cityline.surveys.selectors import ScoreTable, survey_score_tables

DEFAULT_DAYS = 7


def _city_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.city_timezone())


def _period(data: dict) -> tuple[date, date]:
    """The chosen days, both included; the last week by default."""
    last = data["date_to"] or clock.to_city_time(clock.now()).date()
    first = data["date_from"] or last - timedelta(days=DEFAULT_DAYS - 1)
    return first, last


def _figures(data: dict) -> tuple[date, date, ContactCenterFigures]:
    first, last = _period(data)
    figures = contact_center_figures(
        start=_city_midnight(first),
        end=_city_midnight(last + timedelta(days=1)),
        queue=data["queue"],
        target=timedelta(seconds=data["target"]) if data["target"] else DEFAULT_TARGET,
    )
    return first, last, figures


def _survey_scores(first: date, last: date) -> list[ScoreTable]:
    return survey_score_tables(
        start=_city_midnight(first), end=_city_midnight(last + timedelta(days=1))
    )


def _survey_rows(tables: list[ScoreTable]) -> list[tuple[str, object]]:
    """Each group's surveys asked and answered, and its average score (after contacts) or
    fixed share (after closes)."""
    rows: list[tuple[str, object]] = []
    for table in tables:
        for score in table.rows:
            key = f"{table.by}:{score.group}"
            rows += [
                (f"survey_asked:{key}", score.asked),
                (f"survey_answered:{key}", score.answered),
            ]
            if table.kind == SurveyKind.CONTACT:
                average = score.average_score
                rows.append(
                    (f"survey_average_score:{key}", f"{average:.2f}" if average is not None else "")
                )
            else:
                rows.append((f"survey_fixed_share:{key}", _share(score.fixed_share)))
    return rows


def _queue_name(data: dict) -> str:
    return data["queue"] or "all"


def _seconds(value: timedelta | None) -> str:
    return f"{value.total_seconds():.0f}" if value is not None else ""


def _share(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else ""


@require_GET
@login_required
def contact_figures(request: StaffRequest) -> HttpResponse:
    access.require_read_figures(user=request.user)
    form = ContactFiguresForm(request.GET)
    if not form.is_valid():
        return render(request, "console/contact_figures.html", {"form": form}, status=400)
    first, last, figures = _figures(form.cleaned_data)
    context = {
        "form": form,
        "first": first,
        "last": last,
        "figures": figures,
        "survey_scores": _survey_scores(first, last),
        "query": request.GET.urlencode(),
    }
    return render(request, "console/contact_figures.html", context)


@require_GET
@login_required
def contact_figures_csv(request: StaffRequest) -> HttpResponse:
    access.require_read_figures(user=request.user)
    form = ContactFiguresForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    first, last, figures = _figures(form.cleaned_data)
    audit_record(
        actor=request.user,
        action="contacts.figures_exported",
        target=None,
        details={
            "from": first.isoformat(),
            "to": last.isoformat(),
            "queue": _queue_name(form.cleaned_data),
        },
        ip=client_address(request),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contacts-{first}-{last}.csv"'
    writer = csv.writer(response)
    writer.writerow(["figure", "value"])
    rows = [
        ("from", first.isoformat()),
        ("to", last.isoformat()),
        ("queue", _queue_name(form.cleaned_data)),
        ("contacts", figures.contacts),
        ("calls_offered", figures.calls_offered),
        ("calls_answered", figures.calls_answered),
        ("calls_abandoned", figures.calls_abandoned),
        ("service_level", _share(figures.service_level)),
        ("average_speed_of_answer_seconds", _seconds(figures.average_speed_of_answer)),
        ("average_handle_time_seconds", _seconds(figures.average_handle_time)),
        ("information_share", _share(figures.information_share)),
        ("first_contact_resolution", _share(figures.first_contact_resolution)),
        *((f"kind:{kind}", count) for kind, count in figures.by_kind.items()),
        *((f"channel:{channel}", count) for channel, count in figures.by_channel.items()),
        *((f"article:{article}", count) for article, count in figures.top_articles),
        *_survey_rows(_survey_scores(first, last)),
    ]
    writer.writerows(rows)
    return response
