"""Keeping the search-term table in step with what readers may find.

An article's terms come from its published revisions only (title and public body, never the
internal notes or call script); a service type's from its name, description and keywords.
"""

from django.db import transaction

from cityline.catalog.models import ServiceType
from cityline.knowledge.models import KnowledgeArticle, RevisionState, SearchTerm
from cityline.knowledge.searchterms import tokenise

# How much a word counts, by where it was found.
TITLE_WEIGHT = 4
KEYWORD_WEIGHT = 4
NAME_WEIGHT = 4
BODY_WEIGHT = 1
DESCRIPTION_WEIGHT = 1


def _weighted_terms(*parts: tuple[str, int]) -> dict[str, int]:
    weights: dict[str, int] = {}
    for text, weight in parts:
        for term in tokenise(text):
            weights[term] = max(weights.get(term, 0), weight)
    return weights


def search_index_article(*, article: KnowledgeArticle) -> None:
    """Index the article's published revisions, replacing what was indexed before."""
    with transaction.atomic():
        SearchTerm.objects.filter(article=article).delete()
        rows = []
        for revision in article.revisions.filter(state=RevisionState.PUBLISHED):
            weights = _weighted_terms(
                (revision.title, TITLE_WEIGHT),
                (article.topic, TITLE_WEIGHT),
                (revision.body, BODY_WEIGHT),
            )
            rows.extend(
                SearchTerm(
                    term=term,
                    article=article,
                    language=revision.language,
                    is_source_language=revision.language == article.source_language,
                    weight=weight,
                )
                for term, weight in weights.items()
            )
        SearchTerm.objects.bulk_create(rows, batch_size=500)


def search_index_service_types() -> int:
    """Index the catalog's active public service types with their keywords, replacing what was
    indexed before. Returns how many types were indexed."""
    types = ServiceType.objects.filter(is_active=True, is_public=True).prefetch_related("keywords")
    with transaction.atomic():
        SearchTerm.objects.filter(service_type__isnull=False).delete()
        rows = []
        count = 0
        for service_type in types:
            count += 1
            weights = _weighted_terms(
                (service_type.name, NAME_WEIGHT),
                *((keyword.term, KEYWORD_WEIGHT) for keyword in service_type.keywords.all()),
                (service_type.description, DESCRIPTION_WEIGHT),
            )
            rows.extend(
                SearchTerm(term=term, service_type=service_type, weight=weight)
                for term, weight in weights.items()
            )
        SearchTerm.objects.bulk_create(rows, batch_size=500)
    return count


def search_index_rebuild() -> None:
    """Index every article and service type afresh."""
    with transaction.atomic():
        SearchTerm.objects.filter(article__isnull=False).delete()
        for article in KnowledgeArticle.objects.filter(
            revisions__state=RevisionState.PUBLISHED
        ).distinct():
            search_index_article(article=article)
        search_index_service_types()
