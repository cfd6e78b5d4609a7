"""What the public help pages show: the knowledge base's public reads, with each service's
promise in words. Nothing here reads internal notes or call scripts."""

from dataclasses import dataclass
from urllib.parse import urlencode

from cityline.catalog.selectors import service_type_promises
from cityline.knowledge.ranking import SearchResult
from cityline.knowledge.selectors import PublicArticle, article_get_public
from cityline.portal.words import IN_LANGUAGE

# The public report form (`portal:report`), opened on one service type by `?service=<code>`.
REPORT_PATH = "/report/"


def report_url(code: str) -> str:
    """Where a resident reports a problem of the service type `code`."""
    return f"{REPORT_PATH}?{urlencode({'service': code})}"


@dataclass(frozen=True)
class ServiceLink:
    code: str
    name: str
    promise: str  # "within 3 days"; blank when the service has no SLA policy

    @property
    def report_url(self) -> str:
        return report_url(self.code)


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
    language: str  # the title's: the reader's, or the one it is shown in instead

    @property
    def report_url(self) -> str:
        return report_url(self.key)

    @property
    def language_label(self) -> str:
        """ "In English", in the reader's language."""
        return str(IN_LANGUAGE[self.language])


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
            language=result.language,
        )
        for result in results
    ]
