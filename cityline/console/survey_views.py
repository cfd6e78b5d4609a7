"""The survey settings: the share of residents asked after a contact and after a request
closes, set by a 311 supervisor; and the answers residents gave, with their comments, for the
supervisors who read them (`surveys.access`), as a page and as CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.http import StaffRequest
from cityline.console.export_views import csv_response
from cityline.core import clock
from cityline.core.clients import client_address
from cityline.servicerequests import access as requests_access
from cityline.surveys import access
from cityline.surveys.forms import SurveyAnswerFilterForm, SurveySettingsForm
from cityline.surveys.models import Survey
from cityline.surveys.selectors import survey_answers
from cityline.surveys.services import survey_settings_get, survey_settings_update

ANSWERS_PAGE = 50
ANSWERS_EXPORT_LIMIT = 100_000


@require_http_methods(["GET", "POST"])
@login_required
def survey_settings(request: StaffRequest) -> HttpResponse:
    access.require_manage_surveys(user=request.user)
    current = survey_settings_get()
    if request.method == "GET":
        form = SurveySettingsForm(
            initial={
                "contact_percent": current.contact_percent,
                "service_percent": current.service_percent,
            }
        )
        return render(request, "console/survey_settings.html", {"form": form, "current": current})
    form = SurveySettingsForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "current": current}
        return render(request, "console/survey_settings.html", context, status=400)
    updated = survey_settings_update(by=request.user, **form.cleaned_data)
    audit_record(
        actor=request.user,
        action="surveys.settings_changed",
        target=None,
        details=form.cleaned_data,
        ip=client_address(request),
    )
    messages.success(
        request,
        _("Saved: %(contact)s %% of contacts and %(service)s %% of closed requests are surveyed.")
        % {"contact": updated.contact_percent, "service": updated.service_percent},
    )
    return redirect("console:survey_settings")


def _answers_form(request: StaffRequest) -> tuple[SurveyAnswerFilterForm, frozenset[str] | None]:
    agencies = access.require_read_answers(user=request.user)
    return SurveyAnswerFilterForm(request.GET, agency_codes=agencies), agencies


def _answers(
    request: StaffRequest, form: SurveyAnswerFilterForm, agencies: frozenset[str] | None
) -> QuerySet[Survey]:
    return survey_answers(
        agency_codes=agencies,
        filters=form.filters(),
        visible_requests=requests_access.requests_visible_to(request.user),
    )


@require_GET
@login_required
def survey_answers_page(request: StaffRequest) -> HttpResponse:
    form, agencies = _answers_form(request)
    if not form.is_valid():
        return render(request, "console/survey_answers.html", {"form": form}, status=400)
    answers = _answers(request, form, agencies)
    page = Paginator(answers, ANSWERS_PAGE).get_page(form.cleaned_data["page"] or 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "console/survey_answers.html", context)


ANSWERS_HEADER = [
    "answered_at",
    "kind",
    "score",
    "fixed",
    "comment",
    "channel",
    "team",
    "agency",
    "service_type",
    "language",
    "tracking_number",
    "not_fixed_outcome",
]


def _answer_line(survey: Survey) -> list[object]:
    return [
        survey.answered_at.isoformat() if survey.answered_at else "",
        survey.kind,
        survey.score or "",
        "" if survey.fixed is None else ("yes" if survey.fixed else "no"),
        survey.comment,
        survey.contact_channel,
        survey.team,
        survey.agency.code if survey.agency else "",
        survey.service_type.code if survey.service_type else "",
        survey.language,
        # Only a request the reader may see is named (`survey_answers` annotates which).
        survey.request.tracking_number
        if survey.request and getattr(survey, "request_visible", False)
        else "",
        survey.not_fixed_outcome,
    ]


@require_GET
@login_required
def survey_answers_csv(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered answers, newest first, at most ANSWERS_EXPORT_LIMIT; recorded in the audit
    log (who, which filters, how many rows) before the first row leaves."""
    form, agencies = _answers_form(request)
    if not form.is_valid():
        return render(request, "console/survey_answers.html", {"form": form}, status=400)
    answers = _answers(request, form, agencies)
    count = min(answers.count(), ANSWERS_EXPORT_LIMIT)
    audit_record(
        actor=request.user,
        action="surveys.answers_exported",
        target=AuditTarget("survey_answers"),
        details={"filters": form.as_details(), "rows": count},
        ip=client_address(request),
    )
    rows = answers[:count].iterator(chunk_size=2000)
    return csv_response(
        f"survey-answers-{clock.now():%Y%m%d-%H%M}.csv", ANSWERS_HEADER, map(_answer_line, rows)
    )
