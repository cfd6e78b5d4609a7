"""Reading the knowledge base. The public and the staff views show the same published revision,
so the portal and the console never disagree; only the staff view carries the internal parts."""

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import get_language

from cityline.catalog.translation import catalog_languages, text_in
from cityline.core import clock
from cityline.knowledge import access
from cityline.knowledge.access import AnyUser
from cityline.knowledge.models import (
    ArticleRevision,
    ArticleStatus,
    KnowledgeArticle,
    RevisionState,
    TopicTitle,
)
from cityline.knowledge.rendering import render_markdown, render_plain


@dataclass(frozen=True)
class ServiceTypeLink:
    code: str
    name: str


@dataclass(frozen=True)
class RelatedArticle:
    slug: str
    title: str


@dataclass(frozen=True)
class PublicArticle:
    """What any reader may see. It has no field for internal notes or call scripts."""

    slug: str
    requested_language: str
    language: str
    fallback: bool  # True when the requested language had no translation
    title: str
    title_html: str
    body_html: str
    topic: str
    topic_title: str  # the topic in the reader's language
    agency_name: str
    last_reviewed_at: datetime | None
    published_at: datetime
    service_types: tuple[ServiceTypeLink, ...]
    related: tuple[RelatedArticle, ...]


@dataclass(frozen=True)
class StaffArticle:
    public: PublicArticle
    internal_notes_html: str
    call_script_html: str
    needs_update: bool  # a translation whose source has been republished since


def unexpired(now: datetime) -> Q:
    """Articles not past their expiry at `now`, whether or not the schedule has archived them
    yet: from that moment no reader sees them."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now)


def _live_articles(now: datetime) -> QuerySet[KnowledgeArticle]:
    """Articles readers may see: not expired, with at least one published revision."""
    return KnowledgeArticle.objects.filter(
        unexpired(now),
        revisions__state=RevisionState.PUBLISHED,
    ).distinct()


def articles_live() -> QuerySet[KnowledgeArticle]:
    """Articles readers may see at this moment."""
    return _live_articles(clock.now())


def published_revision_in(article: KnowledgeArticle, language: str) -> ArticleRevision | None:
    """The revision readers see in `language`, if one is published in it."""
    return article.revisions.filter(language=language, state=RevisionState.PUBLISHED).first()


def _language_or_source(
    published: dict[str, ArticleRevision], article: KnowledgeArticle, language: str
) -> tuple[ArticleRevision, bool] | None:
    """Of an article's published revisions by language, the reader's, else the source language's
    (and True: the reader is shown the fallback)."""
    if language in published:
        return published[language], False
    if article.source_language in published:
        return published[article.source_language], True
    return None


def _published_revision(
    article: KnowledgeArticle, language: str
) -> tuple[ArticleRevision, bool] | None:
    published = {
        revision.language: revision
        for revision in article.revisions.filter(
            state=RevisionState.PUBLISHED, language__in={language, article.source_language}
        )
    }
    return _language_or_source(published, article, language)


def revision_needs_update(*, revision: ArticleRevision) -> bool:
    """A translation needs updating when the source language's published revision is newer
    than the one it was translated from."""
    if revision.source_revision is None:
        return False
    current = (
        ArticleRevision.objects.filter(
            article_id=revision.article_id,
            language=revision.article.source_language,
            state=RevisionState.PUBLISHED,
        )
        .select_related("source_revision")
        .first()
    )
    if current is None or current.pk == revision.source_revision_id:
        return False
    return current.created_at > revision.source_revision.created_at


def _published_at(revision: ArticleRevision) -> datetime:
    # Only published revisions reach readers, and publishing stamps the time.
    return cast(datetime, revision.published_at)


def _public_view(
    article: KnowledgeArticle,
    revision: ArticleRevision,
    language: str,
    fallback: bool,
    now: datetime,
) -> PublicArticle:
    related = []
    for other in (
        _live_articles(now)
        .filter(pk__in=article.related_articles.values("pk"))
        .prefetch_related(published_revisions_prefetch())
    ):
        found = _prefetched_revision(other, language)
        if found is not None:
            related.append(RelatedArticle(slug=other.slug, title=found[0].title))
    return PublicArticle(
        slug=article.slug,
        requested_language=language,
        language=revision.language,
        fallback=fallback,
        title=revision.title,
        title_html=render_plain(revision.title),
        body_html=render_markdown(revision.body),
        topic=article.topic,
        topic_title=topic_titles(topics=[article.topic]).get(article.topic, article.topic),
        agency_name=article.agency.name,
        last_reviewed_at=article.last_reviewed_at,
        published_at=_published_at(revision),
        service_types=tuple(
            ServiceTypeLink(code=service_type.code, name=service_type.name)
            for service_type in article.service_types.filter(is_active=True, is_public=True)
        ),
        related=tuple(related),
    )


def _get_live(
    slug: str, language: str, now: datetime
) -> tuple[KnowledgeArticle, ArticleRevision, bool]:
    article = _live_articles(now).select_related("agency").filter(slug=slug).first()
    if article is None:
        raise Http404("no such article")
    found = _published_revision(article, language)
    if found is None:
        raise Http404("no such article")
    revision, fallback = found
    return article, revision, fallback


def article_live_get(*, slug: str) -> KnowledgeArticle | None:
    """The article at `slug` if it is live now (published and not expired), for recording that
    an agent used it."""
    return _live_articles(clock.now()).filter(slug=slug).first()


def article_get_public(*, slug: str, language: str) -> PublicArticle:
    """The published answer in `language`, or in the source language with `fallback` set."""
    now = clock.now()
    article, revision, fallback = _get_live(slug, language, now)
    return _public_view(article, revision, language, fallback, now)


def article_get_for_staff(*, user: AnyUser, slug: str, language: str) -> StaffArticle:
    """The same published answer, with the internal notes and call script, for staff."""
    access.require_read_internal(user=user)
    now = clock.now()
    article, revision, fallback = _get_live(slug, language, now)
    return StaffArticle(
        public=_public_view(article, revision, language, fallback, now),
        internal_notes_html=render_markdown(revision.internal_notes),
        call_script_html=render_markdown(revision.call_script),
        needs_update=revision_needs_update(revision=revision),
    )


def revision_list_for_editor(*, user: AnyUser, slug: str) -> QuerySet[ArticleRevision]:
    """Every revision of an article the user may edit, newest first per language; 404 for
    anyone else."""
    return article_revisions(access.article_get_for_editor(user=user, slug=slug))


def article_revisions(article: KnowledgeArticle) -> QuerySet[ArticleRevision]:
    """Every revision of an article its caller has already let the user edit, newest first per
    language, with the people named on them."""
    return article.revisions.select_related("author", "reviewer", "source_revision")


def published_revisions_prefetch(*, with_texts: bool = False) -> Prefetch:
    """Every published revision (one per language) of a whole list of articles, in one query,
    as `article.published_revisions`; their titles only, unless `with_texts`."""
    revisions = ArticleRevision.objects.filter(state=RevisionState.PUBLISHED).order_by()
    if not with_texts:
        revisions = revisions.only("id", "article_id", "language", "title", "state", "published_at")
    return Prefetch("revisions", queryset=revisions, to_attr="published_revisions")


def _prefetched_revision(
    article: KnowledgeArticle, language: str
) -> tuple[ArticleRevision, bool] | None:
    """`_published_revision` over revisions fetched by `published_revisions_prefetch`."""
    published = {revision.language: revision for revision in article.published_revisions}
    return _language_or_source(published, article, language)


@dataclass(frozen=True)
class ArticleSummary:
    """An entry of the public list of articles: public fields only."""

    slug: str
    language: str
    title: str
    topic: str
    agency_code: str
    agency_name: str
    last_reviewed_at: datetime | None
    published_at: datetime


def _summary(article: KnowledgeArticle, revision: ArticleRevision) -> ArticleSummary:
    return ArticleSummary(
        slug=article.slug,
        language=revision.language,
        title=revision.title,
        topic=article.topic,
        agency_code=article.agency.code,
        agency_name=article.agency.name,
        last_reviewed_at=article.last_reviewed_at,
        published_at=_published_at(revision),
    )


def article_list_public(
    *,
    language: str | None = None,
    topic: str | None = None,
    agency_code: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[int, list[ArticleSummary]]:
    """Published articles by title: how many there are, and the page from `offset`.

    With a `language`, only the articles published in it, titled in it; otherwise each in its
    source language. `topic` and `agency_code` narrow the list, ignoring case.
    """
    now = clock.now()
    published = ArticleRevision.objects.filter(
        article=OuterRef("pk"),
        state=RevisionState.PUBLISHED,
        language=language if language else OuterRef("source_language"),
    )
    articles = KnowledgeArticle.objects.filter(unexpired(now), Exists(published))
    if topic:
        articles = articles.filter(topic__iexact=topic)
    if agency_code:
        articles = articles.filter(agency__code__iexact=agency_code)
    total = articles.count()
    page = (
        articles.select_related("agency")
        .prefetch_related(published_revisions_prefetch())
        .order_by("title", "pk")[offset : offset + limit]
    )
    summaries = []
    for article in page:
        wanted = language or article.source_language
        revision = next(r for r in article.published_revisions if r.language == wanted)
        summaries.append(_summary(article, revision))
    return total, summaries


def topic_titles(*, topics: Iterable[str]) -> dict[str, str]:
    """The titles of those of `topics` the city titled, in the active language (the city's
    where not translated); a topic missing here reads as it is named."""
    return {
        row.topic: row.title
        for row in TopicTitle.objects.filter(topic__in=[t for t in topics if t])
        if row.title
    }


@dataclass(frozen=True)
class Topic:
    name: str
    article_count: int
    title: str  # as readers read it: the name, when the city gave it no title


def topic_list_public() -> list[Topic]:
    """The topics of the articles readers may see, by name, with how many articles each has.

    Counted on the topic index by the article's status, which the services keep `published`
    exactly while it has a published revision and is not archived, plus its expiry time for the
    moments before the schedule archives it: every portal search shows the topics, and joining
    each article's revisions cost several times more at 10,000 articles."""
    languages = catalog_languages()
    # Each topic's titles come in the same query: the topics show on every search page.
    titles = {
        f"title_{language}": Subquery(
            TopicTitle.objects.filter(topic=OuterRef("topic")).values(f"title_{language}")[:1]
        )
        for language in languages
    }
    counts = (
        KnowledgeArticle.objects.filter(unexpired(clock.now()), status=ArticleStatus.PUBLISHED)
        .exclude(topic="")
        .values_list("topic")
        .annotate(articles=Count("pk"), **titles)
        .order_by()
    )
    reader = get_language()
    topics = [
        Topic(
            name=name,
            article_count=count,
            title=text_in(dict(zip(languages, row_titles, strict=True)), reader)[0] or name,
        )
        for name, count, *row_titles in counts
    ]
    return sorted(topics, key=lambda topic: _sort_key(topic.title))


def _sort_key(text: str) -> str:
    """Text as a reader would sort it in a list: case and accents aside ("Árboles" before
    "Ruido")."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


def article_list_for_topic(*, topic: str, language: str) -> list[ArticleSummary]:
    """The articles of one topic readers may see, each titled in `language` where it is
    published in it and in its source language otherwise; by title. 404 for a topic with none."""
    articles = (
        articles_live()
        .filter(topic=topic)
        .select_related("agency")
        .prefetch_related(published_revisions_prefetch())
    )
    summaries = [
        _summary(article, found[0])
        for article in articles
        if (found := _prefetched_revision(article, language)) is not None
    ]
    if not summaries:
        raise Http404("no such topic")
    return sorted(summaries, key=lambda summary: (summary.title.casefold(), summary.slug))


def revision_get_for_editor(*, user: AnyUser, slug: str, revision_id: int) -> ArticleRevision:
    """One revision of an article the user may edit; 404 for anyone else or another article's."""
    revision = revision_list_for_editor(user=user, slug=slug).filter(pk=revision_id).first()
    if revision is None:
        raise Http404("no such revision")
    return revision


@dataclass(frozen=True)
class DiffLine:
    change: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field: str  # "title", "body", "internal_notes" or "call_script"
    changed: bool
    lines: tuple[DiffLine, ...]


@dataclass(frozen=True)
class RevisionDiff:
    old: ArticleRevision
    new: ArticleRevision
    fields: tuple[FieldDiff, ...]


REVISION_TEXT_FIELDS = ("title", "body", "internal_notes", "call_script")


def text_diff(old: str, new: str) -> tuple[DiffLine, ...]:
    """`new` against `old`, line by line: kept, removed and added lines in reading order."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine("same", text) for text in old_lines[old_start:old_end])
            continue
        lines.extend(DiffLine("removed", text) for text in old_lines[old_start:old_end])
        lines.extend(DiffLine("added", text) for text in new_lines[new_start:new_end])
    return tuple(lines)


def revision_diff(*, user: AnyUser, slug: str, old_id: int, new_id: int) -> RevisionDiff:
    """What changed from one revision of an article to another, field by field, for someone
    who may edit it; 404 for anyone else."""
    old = revision_get_for_editor(user=user, slug=slug, revision_id=old_id)
    new = revision_get_for_editor(user=user, slug=slug, revision_id=new_id)
    fields = []
    for name in REVISION_TEXT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        fields.append(
            FieldDiff(field=name, changed=before != after, lines=text_diff(before, after))
        )
    return RevisionDiff(old=old, new=new, fields=tuple(fields))


class PublishedCounts(NamedTuple):
    articles: int
    translations: int


def published_counts() -> PublishedCounts:
    """How many articles are published, and how many published translations they have."""
    return PublishedCounts(
        articles=KnowledgeArticle.objects.filter(status="published").count(),
        translations=ArticleRevision.objects.filter(state="published")
        .exclude(source_revision=None)
        .count(),
    )


def article_titles_live(*, slugs: Sequence[str], language: str) -> list[tuple[str, str]]:
    """(slug, title) of the articles named that readers may see, in the order named, each
    titled in `language` where published in it, else in its source language."""
    articles = {
        article.slug: article
        for article in articles_live()
        .filter(slug__in=slugs)
        .prefetch_related(published_revisions_prefetch())
    }
    titles = []
    for slug in slugs:
        found = _prefetched_revision(articles[slug], language) if slug in articles else None
        if found is not None:
            titles.append((slug, found[0].title))
    return titles
