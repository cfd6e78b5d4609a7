"""The desk's e-mail triage: the messages that named no request, oldest first; each filed as a
request for its sender in a few keystrokes (a suggested type by its number, the place, Enter),
or closed as information or a referral."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityline.accounts.audit import audit_record
from cityline.accounts.http import StaffRequest
from cityline.catalog.matching import Audience
from cityline.catalog.selectors import service_type_get_with_questions
from cityline.catalog.suggestions import service_type_suggest
from cityline.channels import access
from cityline.channels.forms import TriageCloseForm, TriageFileForm
from cityline.channels.models import EmailStatus, InboundEmail
from cityline.channels.selectors import (
    inbound_email_count_waiting,
    inbound_email_list_waiting,
    inbound_photo_names,
)
from cityline.channels.services.email import email_close, email_file_request
from cityline.console.forms import form_domain_error_add
from cityline.core.clients import client_address
from cityline.core.errors import DomainError
from cityline.portal.words import day_in_words
from cityline.servicerequests.services.intake import Location

SUGGESTIONS_SHOWN = 5  # one per digit key


@require_GET
@login_required
def triage(request: StaffRequest) -> HttpResponse:
    access.require_triage(user=request.user)
    context = {"waiting": inbound_email_list_waiting(), "count": inbound_email_count_waiting()}
    return render(request, "channels/triage.html", context)


def _message_page(
    request: StaffRequest,
    email: InboundEmail,
    *,
    service_code: str,
    file_form: TriageFileForm | None = None,
    close_form: TriageCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    suggestions = []
    if email.status == EmailStatus.WAITING:
        suggestions = service_type_suggest(
            text=f"{email.subject}\n{email.text}",
            language=email.language or request.LANGUAGE_CODE,
            limit=SUGGESTIONS_SHOWN,
            audience=Audience.STAFF,
        )
    code = service_code or (suggestions[0].code if suggestions else "")
    service_type = service_type_get_with_questions(code=code, public_only=False) if code else None
    if file_form is None and service_type is not None:
        file_form = TriageFileForm(
            service_type=service_type,
            initial={"description": "\n\n".join(p for p in (email.subject, email.text) if p)},
        )
    context = {
        "email": email,
        "photos": inbound_photo_names(email=email),
        "suggestions": suggestions,
        "service_type": service_type,
        "file_form": file_form,
        "close_form": close_form or TriageCloseForm(),
    }
    return render(request, "channels/triage_message.html", context, status=status)


@require_GET
@login_required
def triage_message(request: StaffRequest, email_id: int) -> HttpResponse:
    email = access.inbound_email_get_for_user(user=request.user, email_id=email_id)
    return _message_page(request, email, service_code=request.GET.get("service", "")[:64])


def _next_page() -> str:
    return reverse("console:triage")


@require_POST
@login_required
def triage_file(request: StaffRequest, email_id: int) -> HttpResponse:
    email = access.inbound_email_get_for_user(user=request.user, email_id=email_id)
    code = request.POST.get("service", "")[:64]
    service_type = service_type_get_with_questions(code=code, public_only=False) if code else None
    if service_type is None:
        messages.error(request, _("Choose the service type."))
        return _message_page(request, email, service_code="", status=400)
    form = TriageFileForm(request.POST, service_type=service_type)
    if form.is_valid():
        data = form.cleaned_data
        try:
            filed = email_file_request(
                email=email,
                by=request.user,
                service_type=service_type,
                description=data["description"],
                location=Location(
                    latitude=data["lat"], longitude=data["long"], address=data["address"]
                ),
                answers=form.answers(),
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            audit_record(
                actor=request.user,
                action="inbound_email.filed",
                target=email,
                details={"request": filed.tracking_number},
                ip=client_address(request),
            )
            # The call-taker's script for the reply: the number and the promised day.
            due = day_in_words(filed.expected_at) if filed.expected_at else _("no date promised")
            messages.success(
                request,
                _("Filed %(number)s for the sender; the city aims to respond by %(day)s.")
                % {"number": filed.tracking_number, "day": due},
            )
            return redirect(_next_page())
    return _message_page(request, email, service_code=code, file_form=form, status=400)


@require_POST
@login_required
def triage_close(request: StaffRequest, email_id: int) -> HttpResponse:
    email = access.inbound_email_get_for_user(user=request.user, email_id=email_id)
    form = TriageCloseForm(request.POST)
    if form.is_valid():
        try:
            email_close(
                email=email,
                by=request.user,
                kind=form.cleaned_data["kind"],
                referred_to=form.cleaned_data["referred_to"],
            )
        except DomainError as error:
            form_domain_error_add(form, error)
        else:
            audit_record(
                actor=request.user,
                action="inbound_email.closed",
                target=email,
                details={"kind": form.cleaned_data["kind"]},
                ip=client_address(request),
            )
            messages.success(request, _("The message is closed."))
            return redirect(_next_page())
    return _message_page(request, email, service_code="", close_form=form, status=400)
