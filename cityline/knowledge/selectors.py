"""Reading the knowledge base. The public and the staff views show the same published revision,
so the portal and the console never disagree; only the staff view carries the internal parts."""

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.http import Http404

from cityline.catalog.models import ServiceType
from cityline.core import clock
from cityline.knowledge import access
from cityline.knowledge.access import AnyUser
from cityline.knowledge.models import (
    ArticleRevision,
    KnowledgeArticle,
    RevisionState,
    SearchTerm,
)
from cityline.knowledge.rendering import render_markdown, render_plain
from cityline.knowledge.searchterms import edit_distance, tokenise, typo_allowance


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


def _live_articles(now: datetime) -> QuerySet[KnowledgeArticle]:
    """Articles readers may see: not expired, with at least one published revision."""
    return KnowledgeArticle.objects.filter(
        Q(expire_at__isnull=True) | Q(expire_at__gt=now),
        revisions__state=RevisionState.PUBLISHED,
    ).distinct()


def articles_live() -> QuerySet[KnowledgeArticle]:
    """Articles readers may see at this moment."""
    return _live_articles(clock.now())


def _published_revision(
    article: KnowledgeArticle, language: str
) -> tuple[ArticleRevision, bool] | None:
    published = {
        revision.language: revision
        for revision in article.revisions.filter(
            state=RevisionState.PUBLISHED, language__in={language, article.source_language}
        )
    }
    if language in published:
        return published[language], False
    if article.source_language in published:
        return published[article.source_language], True
    return None


def revision_needs_update(*, revision: ArticleRevision) -> bool:
    """A translation needs updating when the source language's published revision is newer
    than the one it was translated from."""
    if revision.source_revision_id is None:
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


def _public_view(
    article: KnowledgeArticle,
    revision: ArticleRevision,
    language: str,
    fallback: bool,
    now: datetime,
) -> PublicArticle:
    related = []
    for other in _live_articles(now).filter(pk__in=article.related_articles.values("pk")):
        found = _published_revision(other, language)
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
        agency_name=article.agency.name,
        last_reviewed_at=article.last_reviewed_at,
        published_at=revision.published_at,
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
    article = access.article_get_for_editor(user=user, slug=slug)
    return article.revisions.select_related("author", "reviewer", "source_revision")


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "article" or "service_type"
    key: str  # the article's slug or the service type's code
    title: str
    score: float


# How well an indexed word answers a word the reader typed.
_EXACT, _PREFIX, _FUZZY = 1.0, 0.7, 0.5
_MAX_QUERY_TERMS = 10


def _letters_apart(letters: frozenset[str], term: str) -> int:
    """A quick lower bound of the edit distance: a substitution, insertion or deletion brings in
    or takes away at most one letter, and a swap none."""
    term_letters = set(term)
    return max(len(letters - term_letters), len(term_letters - letters))


def _matching_terms(token: str) -> dict[str, float]:
    """The indexed words that match one typed word, with the quality of each match."""
    allowance = typo_allowance(token)
    candidates = SearchTerm.objects.filter(term__startswith=token[0])
    if allowance:
        candidates = candidates.annotate(length=Length("term")).filter(
            Q(term__startswith=token)
            | Q(length__gte=len(token) - allowance, length__lte=len(token) + allowance)
        )
    elif len(token) >= 3:
        candidates = candidates.filter(term__startswith=token)
    else:
        candidates = candidates.filter(term=token)
    token_letters = frozenset(token)
    quality: dict[str, float] = {}
    for term in candidates.values_list("term", flat=True).order_by().distinct():
        if term == token:
            quality[term] = _EXACT
        elif len(token) >= 3 and term.startswith(token):
            quality[term] = _PREFIX
        elif (
            allowance
            and _letters_apart(token_letters, term) <= allowance
            and edit_distance(token, term, allowance) <= allowance
        ):
            quality[term] = _FUZZY
    return quality


def knowledge_search(*, query: str, language: str, limit: int = 10) -> list[SearchResult]:
    """Published articles and public service types that answer `query`, best first.

    Words match exactly, as the start of an indexed word, or despite a typo; a service type is
    found by its keywords and synonyms too. Articles are matched in the reader's language and in
    their source language, and titled as `article_get_public` would show them.
    """
    tokens = tokenise(query)[:_MAX_QUERY_TERMS]
    if not tokens:
        return []
    per_token = [_matching_terms(token) for token in tokens]
    all_terms = {term for matches in per_token for term in matches}
    if not all_terms:
        return []
    rows = SearchTerm.objects.filter(term__in=all_terms).filter(
        Q(service_type__isnull=False) | Q(language=language) | Q(is_source_language=True)
    )
    # For each target, the best score each typed word earns.
    best: dict[tuple[str, int], list[float]] = {}
    for term, article_id, service_type_id, weight in rows.values_list(
        "term", "article_id", "service_type_id", "weight"
    ):
        target = ("article", article_id) if article_id else ("service_type", service_type_id)
        scores = best.setdefault(target, [0.0] * len(tokens))
        for position, matches in enumerate(per_token):
            if term in matches:
                scores[position] = max(scores[position], weight * matches[term])
    ranked = sorted(
        (
            (sum(scores) * sum(1 for s in scores if s) / len(tokens), target)
            for target, scores in best.items()
        ),
        # Ties go the same way on every database: articles first, then the older row.
        key=lambda item: (-item[0], item[1]),
    )
    return _search_results(ranked, language=language, limit=limit)


def _search_results(
    ranked: list[tuple[float, tuple[str, int]]], *, language: str, limit: int
) -> list[SearchResult]:
    """The best `limit` of the ranked targets that readers may see, looked up a batch at a time
    so a common word does not load every article it matches."""
    now = clock.now()
    batch_size = max(limit * 2, 20)
    results: list[SearchResult] = []
    for start in range(0, len(ranked), batch_size):
        batch = ranked[start : start + batch_size]
        article_ids = [pk for _, (kind, pk) in batch if kind == "article"]
        type_ids = [pk for _, (kind, pk) in batch if kind == "service_type"]
        articles = {
            article.pk: article
            for article in _live_articles(now)
            .filter(pk__in=article_ids)
            .prefetch_related(_published_revisions_prefetch())
        }
        service_types = {
            service_type.pk: service_type
            for service_type in ServiceType.objects.filter(
                pk__in=type_ids, is_active=True, is_public=True
            )
        }
        for score, (kind, pk) in batch:
            if kind == "article" and pk in articles:
                found = _prefetched_revision(articles[pk], language)
                if found is not None:
                    results.append(
                        SearchResult(
                            kind=kind, key=articles[pk].slug, title=found[0].title, score=score
                        )
                    )
            elif kind == "service_type" and pk in service_types:
                service_type = service_types[pk]
                results.append(
                    SearchResult(
                        kind=kind, key=service_type.code, title=service_type.name, score=score
                    )
                )
            if len(results) == limit:
                return results
    return results


def _published_revisions_prefetch() -> Prefetch:
    """Every published revision (one per language) of a whole list of articles, in one query."""
    return Prefetch(
        "revisions",
        queryset=ArticleRevision.objects.filter(state=RevisionState.PUBLISHED)
        .only("id", "article_id", "language", "title", "state", "published_at")
        .order_by(),
        to_attr="published_revisions",
    )


def _prefetched_revision(
    article: KnowledgeArticle, language: str
) -> tuple[ArticleRevision, bool] | None:
    """`_published_revision` over revisions fetched by `_published_revisions_prefetch`."""
    published = {revision.language: revision for revision in article.published_revisions}
    if language in published:
        return published[language], False
    if article.source_language in published:
        return published[article.source_language], True
    return None


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
        published_at=revision.published_at,
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
    articles = KnowledgeArticle.objects.filter(
        Q(expire_at__isnull=True) | Q(expire_at__gt=now), Exists(published)
    )
    if topic:
        articles = articles.filter(topic__iexact=topic)
    if agency_code:
        articles = articles.filter(agency__code__iexact=agency_code)
    total = articles.count()
    page = (
        articles.select_related("agency")
        .prefetch_related(_published_revisions_prefetch())
        .order_by("title", "pk")[offset : offset + limit]
    )
    summaries = []
    for article in page:
        wanted = language or article.source_language
        revision = next(r for r in article.published_revisions if r.language == wanted)
        summaries.append(_summary(article, revision))
    return total, summaries


@dataclass(frozen=True)
class Topic:
    name: str
    article_count: int


def topic_list_public() -> list[Topic]:
    """The topics of the articles readers may see, by name, with how many articles each has."""
    # One row per article: `articles_live` is distinct over the selected columns.
    rows = articles_live().exclude(topic="").values_list("pk", "topic").order_by()
    counts: dict[str, int] = {}
    for _, topic in rows:
        counts[topic] = counts.get(topic, 0) + 1
    return [
        Topic(name=name, article_count=counts[name]) for name in sorted(counts, key=str.casefold)
    ]


def article_list_for_topic(*, topic: str, language: str) -> list[ArticleSummary]:
    """The articles of one topic readers may see, each titled in `language` where it is
    published in it and in its source language otherwise; by title. 404 for a topic with none."""
    articles = (
        articles_live()
        .filter(topic=topic)
        .select_related("agency")
        .prefetch_related(_published_revisions_prefetch())
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
