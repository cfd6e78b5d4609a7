"""What the public help pages show: the knowledge base's public reads, with each service's
promise in words. Nothing here reads internal notes or call scripts."""

from dataclasses import dataclass

from cityline.catalog.selectors import service_type_promises
from cityline.knowledge.ranking import SearchResult
from cityline.knowledge.selectors import PublicArticle, article_get_public


@dataclass(frozen=True)
class ServiceLink:
    code: str
    name: str
    promise: str  # "within 3 days"; blank when the service has no SLA policy


@dataclass(frozen=True)
class ArticlePage:
    article: PublicArticle
    services: tuple[ServiceLink, ...]


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "article" or "service_type"
    key: str
    title: str
    promise: str


def article_page_public(*, slug: str, language: str) -> ArticlePage:
    """The published article in the reader's language, with the services it leads to."""
    article = article_get_public(slug=slug, language=language)
    promises = service_type_promises(codes=[link.code for link in article.service_types])
    return ArticlePage(
        article=article,
        services=tuple(
            ServiceLink(code=link.code, name=link.name, promise=promises.get(link.code, ""))
            for link in article.service_types
        ),
    )


SEARCH_LIMIT = 20


def search_hits(*, results: list[SearchResult]) -> list[SearchHit]:
    """Search results with each service's promise in words."""
    promises = service_type_promises(
        codes=[result.key for result in results if result.kind == "service_type"]
    )
    return [
        SearchHit(
            kind=result.kind,
            key=result.key,
            title=result.title,
            promise=promises.get(result.key, "") if result.kind == "service_type" else "",
        )
        for result in results
    ]
