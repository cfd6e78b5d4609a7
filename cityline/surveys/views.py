"""The survey's public page, reached by the signed link of the resident's e-mail or text: one
question or two, answered once, in the resident's language, without JavaScript. A link that
was altered or made up, or is too old, gets a page that says so.

The stop link takes the POST of RFC 8058 one-click unsubscribe, which mail providers send without
a cookie or a form: the signed link is the only credential, so it is exempt from the CSRF check.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cityline.core.errors import Conflict
from cityline.surveys.forms import ContactSurveyForm, ServiceSurveyForm
from cityline.surveys.links import SurveyLinkExpired, SurveyLinkInvalid, survey_unsign
from cityline.surveys.models import Survey, SurveyKind
from cityline.surveys.selectors import survey_get_by_id
from cityline.surveys.services import survey_answer, survey_opt_out


def _page(
    request: HttpRequest, template: str, language: str | None, context: dict, status: int = 200
) -> HttpResponse:
    """In the survey's language, unless the reader chose another with the language switcher;
    a link that names no survey, in the reader's."""
    if not language or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        language = request.LANGUAGE_CODE
    with translation.override(language):
        return render(request, template, context, status=status)


def _survey(request: HttpRequest, signed: str) -> Survey | HttpResponse:
    """The survey the link names, or the page that says why the link does not work."""
    try:
        survey_id = survey_unsign(signed=signed)
    except SurveyLinkExpired:
        return _page(request, "surveys/link_refused.html", None, {"expired": True}, 410)
    except SurveyLinkInvalid:
        return _page(request, "surveys/link_refused.html", None, {"expired": False}, 404)
    survey = survey_get_by_id(survey_id=survey_id)
    if survey is None:
        return _page(request, "surveys/link_refused.html", None, {"expired": False}, 404)
    return survey


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, signed: str) -> HttpResponse:
    survey = _survey(request, signed)
    if isinstance(survey, HttpResponse):
        return survey
    form_class = ContactSurveyForm if survey.kind == SurveyKind.CONTACT else ServiceSurveyForm
    context: dict = {"survey": survey, "signed": signed}
    if survey.answered_at is not None:
        context["answered"] = True
        status = 409 if request.method == "POST" else 200
        return _page(request, "surveys/survey.html", survey.language, context, status)
    form = form_class(request.POST if request.method == "POST" else None)
    # The one question with choices: the score after a contact, "fixed?" after a close.
    question = form["score" if survey.kind == SurveyKind.CONTACT else "fixed"]
    context.update(form=form, question=question)
    if request.method == "GET":
        return _page(request, "surveys/survey.html", survey.language, context)
    if not form.is_valid():
        return _page(request, "surveys/survey.html", survey.language, context, 400)
    data = form.cleaned_data
    try:
        survey = survey_answer(
            survey=survey,
            score=data.get("score"),
            fixed=data.get("fixed"),
            comment=data["comment"],
        )
    except Conflict:
        context["answered"] = True
        return _page(request, "surveys/survey.html", survey.language, context, 409)
    context.update(survey=survey, thanked=True)
    return _page(request, "surveys/survey.html", survey.language, context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, signed: str) -> HttpResponse:
    survey = _survey(request, signed)
    if isinstance(survey, HttpResponse):
        return survey
    done = False
    if request.method == "POST":
        survey_opt_out(survey=survey)
        done = True
    return _page(request, "surveys/stop.html", survey.language, {"done": done})
