"""Service-type suggestions over the API: from a resident's own words to the service types they
probably mean, and the catalog to browse by group. Public types only, as residents see them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cityline.api.errors import ErrorOut
from cityline.api.knowledge import NO_NUL
from cityline.catalog.matching import Audience
from cityline.catalog.suggestions import service_type_catalog_by_group, service_type_suggest

router = Router()


def _known_language(language: str, *, field: str) -> str:
    if language not in dict(settings.LANGUAGES):
        known = ", ".join(code for code, _ in settings.LANGUAGES)
        raise ValidationError({field: [f"is not one of the city's languages ({known})"]})
    return language


class SuggestionQuery(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=500,
        pattern=NO_NUL,
        description="What the resident says is wrong, in their own words.",
    )
    lang: str = Field("en", min_length=1, max_length=10, description="en, es or ar")
    limit: int = Field(5, ge=1, le=10)


class SuggestedArticleOut(Schema):
    slug: str
    title: str


class SuggestionOut(Schema):
    code: str
    name: str
    group: str
    score: float
    sources: list[str] = Field(
        description="What led to the type: 'classifier' (the city's request history), "
        "'catalog' (the type's name, keywords and synonyms), 'knowledge' (an answer linked to it)."
    )
    article: SuggestedArticleOut | None = Field(
        description="The knowledge base's answer that led to the type, if one did."
    )


class SuggestionsOut(Schema):
    query: str
    lang: str
    suggestions: list[SuggestionOut]


@router.get(
    "/suggestions",
    response={200: SuggestionsOut, 400: ErrorOut},
    summary="The service types a resident's words probably mean, best first",
)
def suggestions(request: HttpRequest, params: Query[SuggestionQuery]):
    language = _known_language(params.lang, field="lang")
    found = service_type_suggest(
        text=params.q, language=language, limit=params.limit, audience=Audience.PUBLIC
    )
    return {"query": params.q, "lang": language, "suggestions": found}


class CatalogTypeOut(Schema):
    code: str
    name: str


class CatalogGroupOut(Schema):
    name: str
    description: str
    service_types: list[CatalogTypeOut]


@router.get(
    "/service-groups",
    response={200: list[CatalogGroupOut]},
    summary="The catalog residents may report to, group by group",
)
def service_groups(request: HttpRequest):
    return [
        {
            "name": group.name,
            "description": group.description,
            "service_types": [{"code": code, "name": name} for code, name in group.service_types],
        }
        for group in service_type_catalog_by_group(audience=Audience.PUBLIC)
    ]
