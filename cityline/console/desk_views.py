"""The call-taker's desk: take a contact, find the caller, answer from the knowledge base, look a
request up, and wrap the contact up with what it was. Keyboard first; every action is a plain
form, so it works without JavaScript, and htmx swaps only the part that changed when it is on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityline.accounts.audit import audit_record
from cityline.accounts.http import StaffRequest
from cityline.console.forms import (
    CallerLookupForm,
    DeskSayForm,
    DeskStartForm,
    StatusInquiryForm,
    WrapUpForm,
    form_domain_error_add,
)
from cityline.contacts import access
from cityline.contacts.models import Contact, RequestLink
from cityline.contacts.selectors import (
    caller_contacts,
    caller_query_parse,
    contact_article_titles,
    contact_request_ids,
    contacts_open_for_agent,
)
from cityline.contacts.services import (
    CallerDetails,
    contact_article_record,
    contact_end,
    contact_request_link,
    contact_start,
)
from cityline.core.clients import client_address
from cityline.core.errors import DomainError
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.selectors import article_live_get
from cityline.portal.forms import SearchForm
from cityline.portal.selectors import search_hits
from cityline.servicerequests.access import service_request_get_for_user
from cityline.servicerequests.selectors import service_request_list_for_caller

ANSWERS_SHOWN = 9  # one per digit key


def _contact_url(contact: Contact) -> str:
    return reverse("console:desk_contact", args=[contact.pk])


@require_GET
@login_required
def desk(request: StaffRequest) -> HttpResponse:
    access.require_record_contacts(user=request.user)
    form = DeskStartForm(initial={"language": request.LANGUAGE_CODE})
    context = {"form": form, "open_contacts": contacts_open_for_agent(agent=request.user)}
    return render(request, "console/desk.html", context)


@require_POST
@login_required
def desk_start(request: StaffRequest) -> HttpResponse:
    access.require_record_contacts(user=request.user)
    form = DeskStartForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            contact = contact_start(
                channel=data["channel"],
                agent=request.user,
                language=data["language"],
                caller=CallerDetails(
                    name=data["caller_name"], phone=data["caller_phone"], email=data["caller_email"]
                ),
            )
        except DomainError as error:
            form_domain_error_add(form, error)
        else:
            return redirect(_contact_url(contact))
    context = {"form": form, "open_contacts": contacts_open_for_agent(agent=request.user)}
    return render(request, "console/desk.html", context, status=400)


def _caller_found(request: StaffRequest, contact: Contact, form: CallerLookupForm) -> dict:
    """The caller's earlier contacts and requests, when the agent asked and may see them; each
    lookup is audited, as it reveals personal data."""
    if not (form.is_valid() and form.cleaned_data["caller"]):
        return {}
    if not access.can_look_up_callers(user=request.user):
        return {"caller_refused": True}
    text = form.cleaned_data["caller"]
    query = caller_query_parse(text)
    earlier = [c for c in caller_contacts(query=query) if c.id != contact.pk]
    emails = {query.email, text.strip()} if query.email else set()
    requests = service_request_list_for_caller(
        emails=emails,
        phones={query.phone} if query.phone else set(),
        request_ids=contact_request_ids(contact_ids=[c.id for c in earlier]),
    )
    audit_record(
        actor=request.user,
        action="caller.looked_up",
        target=contact,
        details={"by": "email" if query.email else "phone" if query.phone else "name"},
        ip=client_address(request),
    )
    return {"caller_contacts": earlier, "caller_requests": requests}


def _contact_page(
    request: StaffRequest, contact: Contact, *, wrap_up: WrapUpForm, status: int = 200
) -> HttpResponse:
    """The contact's page: the answers and the caller asked for in the query, the requests linked
    to the contact, and the wrap-up form (refused, when it comes back with errors)."""
    search = SearchForm(request.GET)
    hits = []
    if search.is_valid() and search.cleaned_data["q"]:
        found = knowledge_search(
            query=search.cleaned_data["q"], language=contact.language or request.LANGUAGE_CODE
        )
        hits = search_hits(results=found)
    lookup = CallerLookupForm(request.GET)
    context = {
        "contact": contact,
        "search": search,
        # Answers are numbered for their access keys; services found are listed apart.
        "answers": [hit for hit in hits if hit.kind == "article"][:ANSWERS_SHOWN],
        "services": [hit for hit in hits if hit.kind == "service_type"],
        "lookup": lookup,
        **_caller_found(request, contact, lookup),
        "linked_requests": service_request_list_for_caller(
            emails=(), request_ids=contact_request_ids(contact_ids=[contact.pk])
        ),
        "articles_used": contact_article_titles(contact=contact),
        "status_form": StatusInquiryForm(),
        "say": DeskSayForm(),
        "wrap_up": wrap_up,
    }
    return render(request, "console/desk_contact.html", context, status=status)


@require_GET
@login_required
def desk_contact(request: StaffRequest, contact_id: int) -> HttpResponse:
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    return _contact_page(request, contact, wrap_up=WrapUpForm())


@require_POST
@login_required
def desk_answer_used(request: StaffRequest, contact_id: int, slug: str) -> HttpResponse:
    """The agent read this answer; with `finish`, the question is answered and the contact is
    wrapped up as information: the two keystrokes of an information call."""
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    article = article_live_get(slug=slug)
    if article is None:
        messages.error(request, _("That answer is no longer published."))
        return redirect(_contact_url(contact))
    contact_article_record(contact=contact, article=article)
    if request.POST.get("finish"):
        try:
            contact_end(contact=contact, kind="information")
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_contact_url(contact))
        messages.success(request, _("Logged as information: %(title)s") % {"title": article.title})
        return redirect("console:desk")
    return redirect(_contact_url(contact))


@require_POST
@login_required
def desk_status_inquiry(request: StaffRequest, contact_id: int) -> HttpResponse:
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    form = StatusInquiryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the request's tracking number."))
        return redirect(_contact_url(contact))
    try:
        # Outside the agent's scope, a request is as if it did not exist.
        found = service_request_get_for_user(
            user=request.user, tracking_number=form.cleaned_data["tracking_number"].strip()
        )
    except Http404:
        messages.error(request, _("No request has this tracking number."))
    else:
        contact_request_link(contact=contact, request=found, link=RequestLink.ASKED_ABOUT)
    return redirect(_contact_url(contact))


@require_POST
@login_required
def desk_wrap_up(request: StaffRequest, contact_id: int) -> HttpResponse:
    contact = access.contact_get_for_agent(user=request.user, contact_id=contact_id)
    form = WrapUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            contact_end(
                contact=contact,
                kind=data["kind"],
                summary=data["summary"],
                referred_to=data["referred_to"],
            )
        except DomainError as error:
            form_domain_error_add(form, error)
        else:
            messages.success(request, _("Contact wrapped up."))
            return redirect("console:desk")
    return _contact_page(request, contact, wrap_up=form, status=400)
