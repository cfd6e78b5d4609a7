"""The staff console: answers for call-takers, and the editing, review and reports screens for
knowledge editors. Thin: every read goes through the knowledge selectors and access rules, every
write through the knowledge services, which check the user again."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityline.accounts.http import StaffRequest
from cityline.accounts.models import User
from cityline.analytics import access as analytics_access
from cityline.analytics.spike_selectors import spikes_unacknowledged_count
from cityline.console.forms import (
    ArticleCreateForm,
    ArticleDetailsForm,
    DiffForm,
    DraftForm,
    ReportForm,
    ReviewForm,
    WhenForm,
    form_domain_error_add,
)
from cityline.console.queue_views import my_work
from cityline.core.errors import DomainError
from cityline.knowledge import access, reports
from cityline.knowledge.models import ArticleRevision, RevisionState
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.rendering import render_markdown
from cityline.knowledge.selectors import (
    REVISION_TEXT_FIELDS,
    article_get_for_staff,
    article_revisions,
    revision_diff,
    revision_get_for_editor,
)
from cityline.knowledge.services import (
    article_create,
    article_details_update,
    article_expire,
    revision_approve,
    revision_draft_save,
    revision_publish,
    revision_restore,
    revision_send_back,
    revision_submit,
)
from cityline.portal.forms import SearchForm
from cityline.portal.selectors import SEARCH_LIMIT, search_hits

FIELD_LABELS = {
    "title": _("Title"),
    "body": _("Public answer"),
    "internal_notes": _("Internal notes"),
    "call_script": _("Call script"),
}


@require_GET
@login_required
def home(request: StaffRequest) -> HttpResponse:
    access.require_read_internal(user=request.user)
    form = SearchForm(request.GET)
    status, results = 200, []
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["q"]:
        # Staff searches are not logged: the log is what residents look for.
        results = search_hits(
            results=knowledge_search(
                query=form.cleaned_data["q"], language=request.LANGUAGE_CODE, limit=SEARCH_LIMIT
            )
        )
    context = {
        "form": form,
        "results": results,
        "articles": access.articles_for_editor(user=request.user).select_related("agency"),
        "may_create": access.agencies_for_editor(user=request.user).exists(),
        "my_work": my_work(user=request.user),
        "unacknowledged_spikes": spikes_unacknowledged_count()
        if analytics_access.can_watch_spikes(user=request.user)
        else 0,
    }
    return render(request, "console/home.html", context, status=status)


@require_GET
@login_required
def article_read(request: StaffRequest, slug: str) -> HttpResponse:
    staff_article = article_get_for_staff(
        user=request.user, slug=slug, language=request.LANGUAGE_CODE
    )
    context = {
        "staff_article": staff_article,
        "article": staff_article.public,
        "may_edit": access.articles_for_editor(user=request.user).filter(slug=slug).exists(),
    }
    return render(request, "console/article_read.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def article_new(request: StaffRequest) -> HttpResponse:
    agencies = access.agencies_for_editor(user=request.user)
    if not agencies.exists():
        raise PermissionDenied("only knowledge editors may write articles")
    form = ArticleCreateForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        if form.is_valid():
            try:
                article = article_create(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form_domain_error_add(form, error)
            else:
                return redirect("console:article_manage", slug=article.slug)
        return render(request, "console/article_new.html", {"form": form}, status=400)
    return render(request, "console/article_new.html", {"form": form})


def _manage_context(request: StaffRequest, slug: str, **forms: Any) -> dict[str, Any]:
    article = access.article_get_for_editor(user=request.user, slug=slug)
    return {
        "article": article,
        "revisions": article_revisions(article),
        "diff_form": forms.get("diff_form") or DiffForm(),
        "expire_form": forms.get("expire_form") or WhenForm(prefix="expire"),
    }


@require_GET
@login_required
def article_manage(request: StaffRequest, slug: str) -> HttpResponse:
    return render(request, "console/article_manage.html", _manage_context(request, slug))


@require_http_methods(["GET", "POST"])
@login_required
def article_details(request: StaffRequest, slug: str) -> HttpResponse:
    """The article's topic, the services it leads to and its related answers."""
    article = access.article_get_for_editor(user=request.user, slug=slug)
    if request.method == "POST":
        form = ArticleDetailsForm(request.POST, article=article)
        if form.is_valid():
            try:
                article_details_update(
                    article=article,
                    by=request.user,
                    topic=form.cleaned_data["topic"],
                    service_types=form.cleaned_data["service_types"],
                    related_articles=form.cleaned_data["related_articles"],
                )
            except DomainError as error:
                form_domain_error_add(form, error)
            else:
                return redirect("console:article_manage", slug=slug)
        context = {"article": article, "form": form}
        return render(request, "console/article_details.html", context, status=400)
    initial = {
        "topic": article.topic,
        "service_types": article.service_types.all(),
        "related_articles": "\n".join(
            article.related_articles.order_by("slug").values_list("slug", flat=True)
        ),
    }
    form = ArticleDetailsForm(initial=initial, article=article)
    return render(request, "console/article_details.html", {"article": article, "form": form})


@require_POST
@login_required
def article_expire_view(request: StaffRequest, slug: str) -> HttpResponse:
    article = access.article_get_for_editor(user=request.user, slug=slug)
    form = WhenForm(request.POST, prefix="expire")
    if form.is_valid():
        article_expire(article=article, by=request.user, at=form.cleaned_data["at"])
        return redirect("console:article_manage", slug=slug)
    context = _manage_context(request, slug, expire_form=form)
    return render(request, "console/article_manage.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def draft_edit(request: StaffRequest, slug: str) -> HttpResponse:
    """A new draft, starting from the newest revision in the chosen language."""
    article = access.article_get_for_editor(user=request.user, slug=slug)
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            try:
                revision_draft_save(article=article, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form_domain_error_add(form, error)
            else:
                return redirect("console:article_manage", slug=slug)
        return render(
            request, "console/draft_edit.html", {"article": article, "form": form}, status=400
        )
    language = request.GET.get("language") or article.source_language
    start = article_revisions(article).filter(language=language).first()
    initial = {"language": language}
    if start is not None:
        initial |= {name: getattr(start, name) for name in REVISION_TEXT_FIELDS}
    form = DraftForm(initial=initial)
    return render(request, "console/draft_edit.html", {"article": article, "form": form})


def _revision_context(revision: ArticleRevision, user: User, **forms: Any) -> dict:
    return {
        "article": revision.article,
        "revision": revision,
        "may_approve": access.may_approve_own(user=user, revision=revision),
        "body_html": render_markdown(revision.body),
        "internal_notes_html": render_markdown(revision.internal_notes),
        "call_script_html": render_markdown(revision.call_script),
        "review_form": forms.get("review_form") or ReviewForm(prefix="review"),
        "publish_form": forms.get("publish_form") or WhenForm(prefix="publish"),
        "action_error": forms.get("action_error"),
        "states": RevisionState,
    }


@require_GET
@login_required
def revision_detail(request: StaffRequest, slug: str, revision_id: int) -> HttpResponse:
    revision = revision_get_for_editor(user=request.user, slug=slug, revision_id=revision_id)
    return render(
        request, "console/revision_detail.html", _revision_context(revision, request.user)
    )


@require_POST
@login_required
def revision_action(
    request: StaffRequest, slug: str, revision_id: int, action: str
) -> HttpResponse:
    """Move a revision on: submit, approve, send back, publish (now or at a time) or restore."""
    if action not in {"submit", "approve", "send-back", "publish", "restore"}:
        raise Http404("no such action")
    revision = revision_get_for_editor(user=request.user, slug=slug, revision_id=revision_id)
    review_form = ReviewForm(request.POST, prefix="review")
    publish_form = WhenForm(request.POST, prefix="publish")
    form = publish_form if action == "publish" else review_form
    if form.is_valid():
        try:
            if action == "submit":
                revision_submit(revision=revision, by=request.user)
            elif action == "approve":
                revision_approve(revision=revision, by=request.user, note=form.cleaned_data["note"])
            elif action == "send-back":
                revision_send_back(
                    revision=revision, by=request.user, note=form.cleaned_data["note"]
                )
            elif action == "publish":
                revision_publish(revision=revision, by=request.user, at=form.cleaned_data["at"])
            else:
                restored = revision_restore(revision=revision, by=request.user)
                return redirect("console:revision_detail", slug=slug, revision_id=restored.pk)
        except DomainError as error:
            form_domain_error_add(form, error)
        else:
            return redirect("console:revision_detail", slug=slug, revision_id=revision.pk)
    forms = {"review_form": review_form, "publish_form": publish_form}
    return render(
        request,
        "console/revision_detail.html",
        _revision_context(revision, request.user, **forms, action_error=form),
        status=400,
    )


@require_GET
@login_required
def revision_compare(request: StaffRequest, slug: str) -> HttpResponse:
    form = DiffForm(request.GET)
    if not form.is_valid():
        context = _manage_context(request, slug, diff_form=form)
        return render(request, "console/article_manage.html", context, status=400)
    diff = revision_diff(
        user=request.user,
        slug=slug,
        old_id=form.cleaned_data["old"],
        new_id=form.cleaned_data["new"],
    )
    fields = [(FIELD_LABELS[field.field], field) for field in diff.fields]
    context = {"diff": diff, "fields": fields, "slug": slug}
    return render(request, "console/revision_diff.html", context)


@require_GET
@login_required
def report_unanswered(request: StaffRequest) -> HttpResponse:
    access.report_agency_for(user=request.user)
    searches = reports.searches_without_good_result(days=30)
    return render(request, "console/report_unanswered.html", {"searches": searches})


@require_GET
@login_required
def report_unreviewed(request: StaffRequest) -> HttpResponse:
    agency = access.report_agency_for(user=request.user)
    form = ReportForm(request.GET or {"months": 12})
    if not form.is_valid():
        return render(request, "console/report_unreviewed.html", {"form": form}, status=400)
    articles = reports.articles_not_reviewed(months=form.cleaned_data["months"], agency=agency)
    return render(request, "console/report_unreviewed.html", {"form": form, "articles": articles})


@require_GET
@login_required
def report_helpful(request: StaffRequest) -> HttpResponse:
    agency = access.report_agency_for(user=request.user)
    rates = reports.article_helpful_rates(agency=agency)
    return render(request, "console/report_helpful.html", {"rates": rates})
