"""Writing the knowledge base: articles, their revisions and the review workflow.

Revisions are append-only: saving a draft, restoring an old version and translating all write a
new revision, and a revision's text is never changed afterwards. Each service checks the acting
user through `access` and makes its whole change in one transaction.
"""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import Http404
from django.utils import translation

from cityline.accounts.models import User
from cityline.catalog.models import Agency, ServiceType
from cityline.core import clock
from cityline.core.errors import DomainError, InvalidTransition
from cityline.core.models import max_length_check, max_length_of
from cityline.knowledge import access
from cityline.knowledge.indexing import search_index_article, search_popularity_refresh
from cityline.knowledge.models import (
    ArticleFeedback,
    ArticleRevision,
    ArticleStatus,
    KnowledgeArticle,
    RevisionState,
    SearchLogEntry,
    TopicTitle,
)
from cityline.knowledge.ranking import SearchResult, knowledge_search
from cityline.knowledge.selectors import articles_live, published_revision_in


class SecondReviewerNeeded(DomainError):
    code = "second_reviewer_needed"


_IN_REVIEW_STATES = (RevisionState.SUBMITTED, RevisionState.APPROVED)


def _lock_article(article: KnowledgeArticle) -> KnowledgeArticle:
    return KnowledgeArticle.objects.select_for_update().get(pk=article.pk)


def _lock_revision(revision: ArticleRevision) -> ArticleRevision:
    return ArticleRevision.objects.select_for_update().select_related("article").get(pk=revision.pk)


def _derived_status(article: KnowledgeArticle, now: datetime) -> str:
    if article.expire_at is not None and article.expire_at <= now:
        return ArticleStatus.ARCHIVED
    revisions = article.revisions.all()
    if revisions.filter(state=RevisionState.PUBLISHED).exists():
        return ArticleStatus.PUBLISHED
    if revisions.filter(state__in=_IN_REVIEW_STATES).exists():
        return ArticleStatus.IN_REVIEW
    return ArticleStatus.DRAFT


def _refresh_status(article: KnowledgeArticle, now: datetime) -> None:
    status = _derived_status(article, now)
    if status != article.status:
        article.status = status
        article.save(update_fields=["status", "updated_at"])


def _require_state(revision: ArticleRevision, *allowed: str, action: str) -> None:
    if revision.state not in allowed:
        raise InvalidTransition(
            f"a revision that is {RevisionState(revision.state).label} cannot be {action}",
            field="state",
        )


def _translation_source(
    article: KnowledgeArticle, language: str, source_revision: ArticleRevision | None
) -> ArticleRevision | None:
    if language == article.source_language:
        if source_revision is not None:
            raise DomainError(
                "a revision in the source language is not a translation", field="source_revision"
            )
        return None
    if source_revision is None:
        source_revision = published_revision_in(article, article.source_language)
        if source_revision is None:
            source_revision = article.revisions.filter(language=article.source_language).first()
    if source_revision is None:
        raise DomainError("there is no source text to translate yet", field="source_revision")
    if (
        source_revision.article_id != article.pk
        or source_revision.language != article.source_language
    ):
        raise DomainError(
            "a translation is made from this article's source language", field="source_revision"
        )
    return source_revision


def _check_title(title: str) -> None:
    if not title.strip():
        raise DomainError("an article needs a title", field="title")
    max_length_check(ArticleRevision, "title", title.strip())


def _write_revision(
    *,
    article: KnowledgeArticle,
    language: str,
    title: str,
    body: str,
    internal_notes: str,
    call_script: str,
    by: User,
    source_revision: ArticleRevision | None,
    restored_from: ArticleRevision | None = None,
) -> ArticleRevision:
    _check_title(title)
    return ArticleRevision.objects.create(
        article=article,
        language=_clean_language(language),
        title=title.strip(),
        body=body,
        internal_notes=internal_notes,
        call_script=call_script,
        author=by,
        created_at=clock.now(),
        state=RevisionState.DRAFT,
        source_revision=source_revision,
        restored_from=restored_from,
    )


def article_create(
    *,
    agency: Agency,
    slug: str,
    title: str,
    by: User,
    topic: str = "",
    source_language: str = "en",
    body: str = "",
    internal_notes: str = "",
    call_script: str = "",
    service_types: Iterable[ServiceType] = (),
    related_articles: Iterable[KnowledgeArticle] = (),
) -> KnowledgeArticle:
    """A new article with its first draft, in the source language."""
    access.require_edit(user=by, article=KnowledgeArticle(agency=agency))
    try:
        validate_slug(slug)
    except ValidationError:
        raise DomainError("an address is letters, digits, - and _ only", field="slug") from None
    max_length_check(KnowledgeArticle, "slug", slug)
    max_length_check(KnowledgeArticle, "topic", topic)
    source_language = _clean_language(source_language)
    _check_title(title)
    if KnowledgeArticle.objects.filter(slug=slug).exists():
        raise DomainError(f"an article with the address {slug!r} exists", field="slug")
    with transaction.atomic():
        article = KnowledgeArticle.objects.create(
            slug=slug,
            title=title.strip(),
            agency=agency,
            topic=topic,
            source_language=source_language,
            status=ArticleStatus.DRAFT,
        )
        article.service_types.set(service_types)
        article.related_articles.set(related_articles)
        _write_revision(
            article=article,
            language=source_language,
            title=title,
            body=body,
            internal_notes=internal_notes,
            call_script=call_script,
            by=by,
            source_revision=None,
        )
    return article


def article_details_update(
    *,
    article: KnowledgeArticle,
    by: User,
    agency: Agency | None = None,
    topic: str | None = None,
    service_types: Iterable[ServiceType] | None = None,
    related_articles: Iterable[KnowledgeArticle] | None = None,
) -> bool:
    """Change what an article is filed under and leads to: its owning agency, its topic, the
    service types a reader can report ("Report this") and its related articles; None leaves a
    detail as it is. These are not the answer's text, so they take effect at once, without
    review. Moving an article to another agency needs the right to write for both. Returns
    whether anything changed."""
    access.require_edit(user=by, article=article)
    changed = False
    with transaction.atomic():
        article = _lock_article(article)
        if agency is not None and agency.pk != article.agency_id:
            access.require_edit(user=by, article=KnowledgeArticle(agency=agency))
            article.agency = agency
            article.save(update_fields=["agency", "updated_at"])
            changed = True
        topic = None if topic is None else topic.strip()
        if topic is not None and topic != article.topic:
            max_length_check(KnowledgeArticle, "topic", topic)
            article.topic = topic
            article.save(update_fields=["topic", "updated_at"])
            # The topic is searched with the title.
            search_index_article(article=article)
            changed = True
        if service_types is not None:
            changed |= _links_set(article.service_types, service_types)
        if related_articles is not None:
            related = list(related_articles)
            if any(other.pk == article.pk for other in related):
                raise DomainError(
                    "an article cannot be related to itself", field="related_articles"
                )
            changed |= _links_set(article.related_articles, related)
    return changed


def _links_set(links: Any, wanted: Iterable[Model]) -> bool:
    """Make a many-to-many relation hold exactly `wanted`; whether that changed it."""
    wanted = list(wanted)
    if set(links.values_list("pk", flat=True)) == {obj.pk for obj in wanted}:
        return False
    links.set(wanted)
    return True


def revision_draft_save(
    *,
    article: KnowledgeArticle,
    language: str,
    title: str,
    body: str,
    by: User,
    internal_notes: str = "",
    call_script: str = "",
    source_revision: ArticleRevision | None = None,
) -> ArticleRevision:
    """Save a new draft. In another language than the source it is a translation, linked to the
    source revision it was made from (by default the one published now)."""
    access.require_edit(user=by, article=article)
    with transaction.atomic():
        article = _lock_article(article)
        revision = _write_revision(
            article=article,
            language=language,
            title=title,
            body=body,
            internal_notes=internal_notes,
            call_script=call_script,
            by=by,
            source_revision=_translation_source(article, language, source_revision),
        )
    return revision


def article_reviewed_set(*, article: KnowledgeArticle, by: User, at: datetime) -> bool:
    """Record when the article's content was last reviewed, where that happened before it came
    here (an import keeps the date its content came with). Returns whether it changed."""
    access.require_edit(user=by, article=article)
    with transaction.atomic():
        article = _lock_article(article)
        if article.last_reviewed_at == at:
            return False
        article.last_reviewed_at = at
        article.save(update_fields=["last_reviewed_at", "updated_at"])
    return True


def revision_submit(*, revision: ArticleRevision, by: User) -> ArticleRevision:
    access.require_edit(user=by, article=revision.article)
    with transaction.atomic():
        revision = _lock_revision(revision)
        _require_state(revision, RevisionState.DRAFT, action="submitted for review")
        revision.state = RevisionState.SUBMITTED
        revision.save(update_fields=["state"])
        _refresh_status(revision.article, clock.now())
    return revision


def revision_approve(*, revision: ArticleRevision, by: User, note: str = "") -> ArticleRevision:
    access.require_approve(user=by, article=revision.article)
    with transaction.atomic():
        revision = _lock_revision(revision)
        _require_state(revision, RevisionState.SUBMITTED, action="approved")
        if not access.may_approve_own(user=by, revision=revision):
            raise SecondReviewerNeeded(
                "another editor approves what you wrote: ask a colleague to review it",
                field="reviewer",
            )
        now = clock.now()
        revision.state = RevisionState.APPROVED
        revision.reviewer = by
        revision.review_note = note
        revision.reviewed_at = now
        revision.save(update_fields=["state", "reviewer", "review_note", "reviewed_at"])
        article = revision.article
        article.last_reviewed_at = now
        article.save(update_fields=["last_reviewed_at", "updated_at"])
        _refresh_status(article, now)
    return revision


def revision_send_back(*, revision: ArticleRevision, by: User, note: str) -> ArticleRevision:
    """Return a submitted revision to its author with the reviewer's reasons."""
    access.require_approve(user=by, article=revision.article)
    if not note.strip():
        raise DomainError("say what needs changing", field="note")
    with transaction.atomic():
        revision = _lock_revision(revision)
        _require_state(revision, RevisionState.SUBMITTED, action="sent back")
        now = clock.now()
        revision.state = RevisionState.SENT_BACK
        revision.reviewer = by
        revision.review_note = note.strip()
        revision.reviewed_at = now
        revision.save(update_fields=["state", "reviewer", "review_note", "reviewed_at"])
        _refresh_status(revision.article, now)
    return revision


def _next_publish_at(article: KnowledgeArticle) -> datetime | None:
    """When the article's next scheduled revision goes live, whichever language it is in."""
    return (
        article.revisions.filter(state=RevisionState.APPROVED, publish_at__isnull=False)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


def _publish_now(revision: ArticleRevision, now: datetime) -> None:
    """Make `revision` the one readers see in its language; the one before it is superseded."""
    article = _lock_article(revision.article)
    article.revisions.filter(language=revision.language, state=RevisionState.PUBLISHED).update(
        state=RevisionState.SUPERSEDED
    )
    revision.state = RevisionState.PUBLISHED
    revision.published_at = now
    revision.publish_at = None
    revision.save(update_fields=["state", "published_at", "publish_at"])
    if revision.language == article.source_language:
        article.title = revision.title
    if article.expire_at is not None and article.expire_at <= now:
        article.expire_at = None
    article.publish_at = _next_publish_at(article)
    article.save(update_fields=["title", "expire_at", "publish_at", "updated_at"])
    _refresh_status(article, now)
    search_index_article(article=article)
    revision.article = article


def revision_publish(
    *, revision: ArticleRevision, by: User, at: datetime | None = None
) -> ArticleRevision:
    """Publish an approved revision now, or schedule it for `at`; the schedule is carried out by
    `article_schedule_apply`."""
    access.require_edit(user=by, article=revision.article)
    with transaction.atomic():
        revision = _lock_revision(revision)
        _require_state(revision, RevisionState.APPROVED, action="published")
        now = clock.now()
        if at is None or at <= now:
            _publish_now(revision, now)
        else:
            revision.publish_at = at
            revision.save(update_fields=["publish_at"])
            article = revision.article
            article.publish_at = _next_publish_at(article)
            article.save(update_fields=["publish_at", "updated_at"])
    return revision


def article_expire(
    *, article: KnowledgeArticle, by: User, at: datetime | None = None
) -> KnowledgeArticle:
    """Take an article away from readers now, or at `at`."""
    access.require_edit(user=by, article=article)
    with transaction.atomic():
        article = _lock_article(article)
        now = clock.now()
        article.expire_at = at if at is not None and at > now else now
        article.save(update_fields=["expire_at", "updated_at"])
        _refresh_status(article, now)
    return article


def revision_restore(*, revision: ArticleRevision, by: User) -> ArticleRevision:
    """Bring back an old version as a new draft; history stays as it was."""
    article = revision.article
    access.require_edit(user=by, article=article)
    with transaction.atomic():
        article = _lock_article(article)
        return _write_revision(
            article=article,
            language=revision.language,
            title=revision.title,
            body=revision.body,
            internal_notes=revision.internal_notes,
            call_script=revision.call_script,
            by=by,
            source_revision=revision.source_revision,
            restored_from=revision,
        )


def article_schedule_apply() -> int:
    """Publish the approved revisions whose time has come and archive the articles whose expiry
    has passed. Returns how many revisions were published. Safe to run from several workers."""
    now = clock.now()
    published = 0
    due = ArticleRevision.objects.filter(
        state=RevisionState.APPROVED, publish_at__isnull=False, publish_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            revision = (
                ArticleRevision.objects.select_for_update()
                .select_related("article")
                .filter(pk=pk, state=RevisionState.APPROVED, publish_at__lte=now)
                .first()
            )
            if revision is None:
                continue
            _publish_now(revision, now)
            published += 1
    expired = KnowledgeArticle.objects.filter(expire_at__lte=now).exclude(
        status=ArticleStatus.ARCHIVED
    )
    for article in expired:
        with transaction.atomic():
            _refresh_status(_lock_article(article), now)
    return published


MAX_COMMENT_LENGTH = max_length_of(ArticleFeedback, "comment")
MAX_LANGUAGE_LENGTH = max_length_of(ArticleRevision, "language")


def _clean_language(language: str) -> str:
    language = language.strip()
    if not language or len(language) > MAX_LANGUAGE_LENGTH:
        raise DomainError(
            f"a language code of 1 to {MAX_LANGUAGE_LENGTH} characters is needed", field="language"
        )
    return language


def _voter(client: str, article: KnowledgeArticle) -> str:
    message = f"{article.pk}:{client}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def article_feedback_record(
    *, slug: str, language: str, helpful: bool, client: str, comment: str = ""
) -> ArticleFeedback:
    """Record whether a published article answered a reader's question, and let it count in the
    article's search ranking. A reader (`client`: their address) has one vote per article; voting
    again replaces it. Only a keyed hash of the address and the article is kept."""
    language = _clean_language(language)
    comment = comment.replace("\x00", "").strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise DomainError(f"a comment is at most {MAX_COMMENT_LENGTH} characters", field="comment")
    article = articles_live().filter(slug=slug).first()
    if article is None:
        raise Http404("no such article")
    vote = {"language": language, "helpful": helpful, "comment": comment, "created_at": clock.now()}
    voter = _voter(client, article)
    try:
        with transaction.atomic():
            feedback, _ = ArticleFeedback.objects.update_or_create(
                article=article, voter=voter, defaults=vote
            )
            search_popularity_refresh(article=article)
    except IntegrityError:
        # The same reader's other vote went in between our SELECT and INSERT: replace it.
        with transaction.atomic():
            feedback, _ = ArticleFeedback.objects.update_or_create(
                article=article, voter=voter, defaults=vote
            )
            search_popularity_refresh(article=article)
    return feedback


MAX_LOGGED_QUERY_LENGTH = max_length_of(SearchLogEntry, "query")


def search_query_normalise(query: str) -> str:
    """How a search is written in the log: lower-case, with runs of spaces collapsed, so the same
    question typed differently is counted once."""
    return " ".join(query.replace("\x00", "").casefold().split())[:MAX_LOGGED_QUERY_LENGTH]


def knowledge_search_logged(*, query: str, language: str, limit: int = 10) -> list[SearchResult]:
    """`knowledge_search`, with the search written to the log (blank searches are not)."""
    language = _clean_language(language)
    results = knowledge_search(query=query, language=language, limit=limit)
    normalised = search_query_normalise(query)
    if normalised:
        top = results[0] if results else None
        SearchLogEntry.objects.create(
            query=normalised,
            language=language,
            result_count=len(results),
            top_result=f"{top.kind}:{top.key}" if top else "",
            top_score=top.score if top else None,
            created_at=clock.now(),
        )
    return results


def topic_titles_set(*, language: str, titles: Mapping[str, str]) -> None:
    """Title topics (by the name articles are filed under) in `language`, one of the pages'
    languages other than the city's; a blank title: readers of it read the city's."""
    others = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    if language not in others:
        raise DomainError(
            f"{language!r} is not one of the languages translated into: {', '.join(others)}",
            field="language",
        )
    column = f"title_{language}"
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for topic, title in titles.items():
            if not topic.strip():
                raise DomainError("a topic needs a name", field="topic")
            max_length_check(TopicTitle, "topic", topic)
            max_length_check(TopicTitle, column, title.strip())
            row, _ = TopicTitle.objects.get_or_create(topic=topic, defaults={"title": topic})
            setattr(row, column, title.strip() or None)
            row.save(update_fields=[column, "updated_at"])
