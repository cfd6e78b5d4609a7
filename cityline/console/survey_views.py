"""The survey settings: the share of residents asked after a contact and after a request
closes, set by a 311 supervisor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityline.accounts.audit import audit_record
from cityline.accounts.http import StaffRequest
from cityline.core.clients import client_address
from cityline.surveys import access
from cityline.surveys.forms import SurveySettingsForm
from cityline.surveys.services import survey_settings_get, survey_settings_update


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
