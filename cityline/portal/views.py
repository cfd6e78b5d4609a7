"""The public help pages. Thin: each reads through the portal's and knowledge's selectors and
writes through the knowledge services (a resident's search is one: it is logged)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from cityline.core.clients import client_address
from cityline.knowledge.access import feedback_refused
from cityline.knowledge.selectors import article_list_for_topic, topic_list_public, topic_titles
from cityline.knowledge.services import article_feedback_record, knowledge_search_logged
from cityline.portal.forms import FeedbackForm, SearchForm
from cityline.portal.selectors import SEARCH_LIMIT, article_page_public, search_hits


class HtmxRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: `htmx` tells whether htmx sent it."""

    htmx: HtmxDetails


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/search.html", {"form": form}, status=400)
    query = form.cleaned_data["q"]
    results = (
        knowledge_search_logged(query=query, language=request.LANGUAGE_CODE, limit=SEARCH_LIMIT)
        if query
        else []
    )
    context = {
        "form": form,
        "query": query,
        "results": search_hits(results=results),
        "topics": topic_list_public(),
    }
    return render(request, "portal/search.html", context)


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/topic_list.html", {"topics": topic_list_public()})


@require_GET
def topic_detail(request: HttpRequest, topic: str) -> HttpResponse:
    articles = article_list_for_topic(topic=topic, language=request.LANGUAGE_CODE)
    context = {
        "topic": topic,
        "topic_title": topic_titles(topics=[topic]).get(topic, topic),
        "articles": articles,
    }
    return render(request, "portal/topic_detail.html", context)


def _article_response(
    request: HttpRequest, slug: str, form: FeedbackForm, *, status: int = 200
) -> HttpResponse:
    page = article_page_public(slug=slug, language=request.LANGUAGE_CODE)
    context = {
        "page": page,
        "article": page.article,
        "form": form,
        "feedback_sent": request.GET.get("feedback") == "sent",
    }
    return render(request, "portal/article.html", context, status=status)


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _article_response(request, slug, FeedbackForm())


@require_POST
def article_feedback(request: HtmxRequest, slug: str) -> HttpResponse:
    """Without JavaScript the answer is the article again; with htmx, only the feedback box."""
    form = FeedbackForm(request.POST)
    if feedback_refused(request=request):
        form.add_error(None, _("You have sent many answers just now. Please try again shortly."))
        if request.htmx:
            return render(
                request, "portal/_feedback.html", {"form": form, "slug": slug}, status=429
            )
        return _article_response(request, slug, form, status=429)
    if form.is_valid():
        article_feedback_record(
            slug=slug,
            language=request.LANGUAGE_CODE,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
            client=client_address(request) or "",
        )
        if request.htmx:
            return render(request, "portal/_feedback.html", {"feedback_sent": True, "slug": slug})
        return redirect(reverse("portal:article", args=[slug]) + "?feedback=sent#feedback")
    if request.htmx:
        return render(request, "portal/_feedback.html", {"form": form, "slug": slug}, status=400)
    return _article_response(request, slug, form, status=400)
