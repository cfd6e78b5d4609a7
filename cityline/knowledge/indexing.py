"""Keeping the search index in step with what readers may find.

An article is indexed from its published revisions only (title, topic and public body, never the
internal notes or call script), one search document per language; a service type from its name,
keywords and description in every language the catalog is written in, while it is active and
public (found, it is shown by its name in the reader's language). Every word indexed joins the
vocabulary of spellings that lets a misspelt word find it. The database's full-text index follows
the search documents by itself.

Publishing an article or changing its topic reindexes it (`services`, which imports go through
too); saving a service type or a keyword reindexes that type once the change commits
(`search_index_service_type_on_commit`, connected in `apps`); `search_index_rebuild` (the
`knowledge_reindex` command) rebuilds everything.
"""

from collections.abc import Iterable
from datetime import UTC
from functools import partial

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncHour

from cityline.catalog.models import ServiceType, ServiceTypeKeyword
from cityline.catalog.translation import catalog_languages
from cityline.knowledge.models import (
    ArticleFeedback,
    KnowledgeArticle,
    RevisionState,
    SearchDocument,
    SearchSpelling,
)
from cityline.knowledge.searchterms import spellings, tokenise

# Helpful answers weigh against this many unhelpful ones before any feedback counts much.
POPULARITY_PRIOR = 5
# Of the votes an article gets in one hour, at most this many count: a burst of votes from
# many addresses moves its ranking no more than an hour of ordinary readers would.
VOTES_COUNTED_PER_HOUR = 5
_BATCH = 500


def search_popularity(*, helpful: float, not_helpful: float) -> float:
    """How much readers found an article helpful, from 0 (never, or no feedback yet) towards 1:
    helpful answers over all answers plus `POPULARITY_PRIOR`, so a few votes move it a little and
    many a lot."""
    return helpful / (helpful + not_helpful + POPULARITY_PRIOR)


def _article_popularity(article: KnowledgeArticle) -> float:
    """`search_popularity` of the article's votes, an hour's votes scaled down to at most
    `VOTES_COUNTED_PER_HOUR` (keeping that hour's share of helpful ones)."""
    hours = (
        ArticleFeedback.objects.filter(article=article)
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values("hour")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
        .order_by()
    )
    helpful = not_helpful = 0.0
    for hour in hours:
        scale = min(1.0, VOTES_COUNTED_PER_HOUR / (hour["yes"] + hour["no"]))
        helpful += hour["yes"] * scale
        not_helpful += hour["no"] * scale
    return search_popularity(helpful=helpful, not_helpful=not_helpful)


def _terms(*texts: str) -> str:
    return " ".join(tokenise(" ".join(texts)))


def _vocabulary_add(documents: Iterable[SearchDocument]) -> None:
    """Add the documents' new words, with their spellings, to the vocabulary."""
    words = {
        word
        for document in documents
        for word in f"{document.title_terms} {document.body_terms}".split()
    }
    known: set[str] = set()
    ordered = sorted(words)
    for start in range(0, len(ordered), _BATCH):
        known.update(
            SearchSpelling.objects.filter(
                spelling__in=ordered[start : start + _BATCH], word=F("spelling")
            ).values_list("word", flat=True)
        )
    SearchSpelling.objects.bulk_create(
        (
            SearchSpelling(spelling=spelling, word=word)
            for word in words - known
            for spelling in spellings(word)
        ),
        batch_size=_BATCH,
        ignore_conflicts=True,
    )


def search_index_article(*, article: KnowledgeArticle) -> None:
    """Index the article's published revisions, replacing what was indexed before."""
    with transaction.atomic():
        SearchDocument.objects.filter(article=article).delete()
        popularity = _article_popularity(article)
        documents = SearchDocument.objects.bulk_create(
            SearchDocument(
                article=article,
                language=revision.language,
                is_source_language=revision.language == article.source_language,
                title=revision.title,
                title_terms=_terms(revision.title, article.topic),
                body_terms=_terms(revision.body),
                popularity=popularity,
            )
            for revision in article.revisions.filter(state=RevisionState.PUBLISHED)
        )
        _vocabulary_add(documents)


def search_popularity_refresh(*, article: KnowledgeArticle) -> None:
    """Carry the article's latest feedback into its search documents."""
    SearchDocument.objects.filter(article=article).update(popularity=_article_popularity(article))


def _service_type_document(service_type: ServiceType) -> SearchDocument:
    languages = catalog_languages()
    names = [getattr(service_type, f"name_{language}") or "" for language in languages]
    descriptions = [
        getattr(service_type, f"description_{language}") or "" for language in languages
    ]
    return SearchDocument(
        service_type=service_type,
        # The city's language's; results show the reader's (`ranking`).
        title=names[0],
        title_terms=_terms(*names, *(keyword.term for keyword in service_type.keywords.all())),
        body_terms=_terms(*descriptions),
    )


def _searchable_service_types():
    return ServiceType.objects.filter(is_active=True, is_public=True).prefetch_related("keywords")


def search_index_service_type(*, service_type_id: int) -> None:
    """Index one service type as it is now: replaced if it is active and public, removed if it
    is not (or no longer exists)."""
    with transaction.atomic():
        SearchDocument.objects.filter(service_type_id=service_type_id).delete()
        service_type = _searchable_service_types().filter(pk=service_type_id).first()
        if service_type is not None:
            document = _service_type_document(service_type)
            document.save()
            _vocabulary_add([document])


def search_index_service_type_on_commit(
    sender: type, instance: ServiceType | ServiceTypeKeyword, **kwargs: object
) -> None:
    """Receiver for saving a service type and saving or deleting a keyword, wherever it happens
    (the catalog services, the admin, an import): reindex the type once the change commits, so a
    type saved before its keywords is indexed with them. Robust: a failure is logged without
    undoing the catalog change, and `knowledge_reindex` repairs the index."""
    service_type_id = instance.pk if isinstance(instance, ServiceType) else instance.service_type_id
    transaction.on_commit(
        partial(search_index_service_type, service_type_id=service_type_id), robust=True
    )


def search_index_service_types() -> int:
    """Index the catalog's active public service types with their keywords, replacing what was
    indexed before. Returns how many types were indexed."""
    with transaction.atomic():
        SearchDocument.objects.filter(service_type__isnull=False).delete()
        documents = SearchDocument.objects.bulk_create(
            (_service_type_document(service_type) for service_type in _searchable_service_types()),
            batch_size=_BATCH,
        )
        _vocabulary_add(documents)
    return len(documents)


def search_index_rebuild() -> None:
    """Index every article and service type afresh, with a vocabulary of only the words in use."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchSpelling.objects.all().delete()
        for article in KnowledgeArticle.objects.filter(
            revisions__state=RevisionState.PUBLISHED
        ).distinct():
            search_index_article(article=article)
        search_index_service_types()
