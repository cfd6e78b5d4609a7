"""The knowledge base over the API: published articles, search and readers' feedback.

Every answer is built from the public views of the knowledge selectors, which carry no internal
notes or call scripts."""

import re
from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from cityline.api.errors import ErrorOut
from cityline.api.idempotency import OPENAPI_PARAMETERS, idempotent_operation
from cityline.catalog.models import Agency
from cityline.core.clients import client_address
from cityline.core.models import max_length_of
from cityline.knowledge.access import feedback_refused
from cityline.knowledge.models import KnowledgeArticle
from cityline.knowledge.selectors import article_get_public, article_list_public
from cityline.knowledge.services import article_feedback_record, knowledge_search_logged

router = Router()

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _known_slug(slug: str) -> str:
    """The slug, if it could name an article at all; anything else names none."""
    if not _SLUG.fullmatch(slug) or len(slug) > 120:
        raise Http404("no such article")
    return slug


# No database column can hold a NUL character (PostgreSQL refuses it outright).
NO_NUL = r"^[^\x00]*$"

LANGUAGE = Field(
    "en", min_length=1, max_length=10, pattern=r"^[A-Za-z0-9-]+$", description="e.g. en, es"
)


class ArticleSummaryOut(Schema):
    slug: str
    language: str
    title: str
    topic: str
    agency_code: str
    agency_name: str
    last_reviewed_at: datetime | None
    published_at: datetime


class ArticlePageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ArticleSummaryOut]


class ArticleListFilters(Schema):
    language: str | None = Field(
        None,
        min_length=1,
        max_length=10,
        pattern=r"^[A-Za-z0-9-]+$",
        description="Only articles published in this language, titled in it.",
    )
    topic: str | None = Field(
        None, max_length=max_length_of(KnowledgeArticle, "topic"), pattern=NO_NUL
    )
    agency: str | None = Field(
        None,
        max_length=max_length_of(Agency, "code"),
        pattern=NO_NUL,
        description="The owning agency's code.",
    )
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get(
    "/articles",
    response={200: ArticlePageOut, 400: ErrorOut},
    summary="Published articles, by title",
)
def article_list(request: HttpRequest, filters: Query[ArticleListFilters]):
    total, items = article_list_public(
        language=filters.language,
        topic=filters.topic,
        agency_code=filters.agency,
        offset=(filters.page - 1) * filters.page_size,
        limit=filters.page_size,
    )
    return {"count": total, "page": filters.page, "page_size": filters.page_size, "items": items}


class LanguageQuery(Schema):
    language: str = LANGUAGE


class ServiceTypeOut(Schema):
    code: str
    name: str


class RelatedOut(Schema):
    slug: str
    title: str


class ArticleOut(Schema):
    slug: str
    requested_language: str
    language: str
    fallback: bool = Field(
        description="True when the article is not translated into the requested language and "
        "is shown in its source language."
    )
    title: str
    title_html: str
    body_html: str
    topic: str
    agency_name: str
    last_reviewed_at: datetime | None
    published_at: datetime
    service_types: list[ServiceTypeOut]
    related: list[RelatedOut]


@router.get(
    "/articles/{slug}",
    response={200: ArticleOut, 400: ErrorOut, 404: ErrorOut},
    summary="One published article",
)
def article_detail(request: HttpRequest, slug: str, params: Query[LanguageQuery]):
    return article_get_public(slug=_known_slug(slug), language=params.language)


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="What the reader typed.")
    language: str = LANGUAGE
    limit: int = Field(10, ge=1, le=50)


class SearchResultOut(Schema):
    kind: str = Field(description="'article' or 'service_type'.")
    key: str = Field(description="The article's slug or the service type's code.")
    title: str
    score: float


class SearchOut(Schema):
    query: str
    language: str
    results: list[SearchResultOut]


@router.get(
    "/search", response={200: SearchOut, 400: ErrorOut}, summary="Search articles and service types"
)
def search(request: HttpRequest, params: Query[SearchQuery]):
    results = knowledge_search_logged(query=params.q, language=params.language, limit=params.limit)
    return {"query": params.q, "language": params.language, "results": results}


class FeedbackIn(Schema):
    helpful: bool
    language: str = LANGUAGE
    comment: str = Field("", max_length=2000)


class FeedbackOut(Schema):
    article: str
    language: str
    helpful: bool


@router.post(
    "/articles/{slug}/feedback",
    response={201: FeedbackOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Did this answer your question?",
    openapi_extra=OPENAPI_PARAMETERS,
)
@decorate_view(idempotent_operation)
def feedback(request: HttpRequest, slug: str, payload: FeedbackIn):
    """One vote per reader and article: voting again replaces the earlier vote. A reader who
    answers too often is refused with 429."""
    slug = _known_slug(slug)
    if feedback_refused(request=request):
        raise HttpError(429, "too many answers from this address; try again in a minute")
    article_feedback_record(
        slug=slug,
        language=payload.language,
        helpful=payload.helpful,
        comment=payload.comment,
        client=client_address(request) or "",
    )
    return Status(201, {"article": slug, "language": payload.language, "helpful": payload.helpful})
