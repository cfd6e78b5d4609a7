"""What the public help pages show: the knowledge base's public reads, with each service's
promise in words. Nothing here reads internal notes or call scripts."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse

from cityline.catalog.selectors import service_type_list_public, service_type_promises
from cityline.core import clock
from cityline.core.memo import SharedMemo
from cityline.knowledge.ranking import SearchResult
from cityline.knowledge.selectors import PublicArticle, article_get_public
from cityline.portal.models import DEFAULT_CITY_NAME, DEFAULT_COLOUR, CityIdentity
from cityline.portal.words import IN_LANGUAGE
from cityline.servicerequests.selectors import service_request_counts_by_type


def report_url(code: str) -> str:
    """Where a resident reports a problem of the service type `code`: the report form opened on
    it."""
    return f"{reverse('portal:report')}?{urlencode({'service': code})}"


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


@dataclass(frozen=True)
class Identity:
    name: str
    colour: str
    contact_line: str
    has_logo: bool
    version: str  # changes whenever the identity does: it busts the theme's and logo's caches


def _load(_key: None) -> Identity:
    row = CityIdentity.objects.filter(pk=1).first()
    if row is None:
        return Identity(DEFAULT_CITY_NAME, DEFAULT_COLOUR, "", False, "0")
    return Identity(
        name=row.name,
        colour=row.colour,
        contact_line=row.contact_line,
        has_logo=bool(row.logo),
        version=f"{row.updated_at.timestamp():.6f}",
    )


_identity: SharedMemo[None, Identity] = SharedMemo(name="portal-city-identity", loader=_load)
city_identity_forget = _identity.forget


def city_identity_get() -> Identity:
    identity = _identity.get(None)
    assert identity is not None
    return identity


def city_logo_file() -> CityIdentity | None:
    row = CityIdentity.objects.filter(pk=1).first()
    return row if row is not None and row.logo else None


@dataclass(frozen=True)
class ServiceTile:
    code: str
    name: str
    group: str


# What residents reported most in this window leads the home page; counted once an hour.
TILES_WINDOW = timedelta(days=90)
TILES_CACHE_SECONDS = 3600


def service_tiles(*, limit: int = 8) -> list[ServiceTile]:
    """The public service types residents reported most in the last 90 days, most first, then
    the rest of the public catalog by name to fill the row."""
    key = f"portal-service-tiles:{limit}"
    codes: list[str] | None = cache.get(key)
    public = {t.code: t for t in service_type_list_public().prefetch_related(None)}
    if codes is None:
        counts = service_request_counts_by_type(since=clock.now() - TILES_WINDOW)
        ranked = sorted(public.values(), key=lambda t: (-counts.get(t.id, 0), t.name))
        codes = [t.code for t in ranked[:limit]]
        cache.set(key, codes, TILES_CACHE_SECONDS)
    tiles = []
    for code in codes:
        service_type = public.get(code)
        if service_type is not None:
            group = service_type.group.name if service_type.group is not None else ""
            tiles.append(ServiceTile(code, service_type.name, group))
    return tiles
