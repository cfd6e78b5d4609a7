"""Cityline's native JSON API, described by OpenAPI at /api/openapi.json and browsable at
/api/docs. Only what any reader may see is published here."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from cityline.api.knowledge import router as knowledge_router
from cityline.core.errors import DomainError

api = NinjaAPI(
    title="Cityline API",
    version="1",
    description="Published knowledge articles and search, for apps and chatbots.",
    urls_namespace="api",
)


def _field_name(location: list | tuple) -> str:
    """The name a client sent: the last named part of pydantic's location."""
    names = [str(part) for part in location if isinstance(part, str)]
    names = [name for name in names if name not in {"query", "path", "body", "payload"}]
    return ".".join(names) if names else "body"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "is not valid")}
        for error in exc.errors
    ]
    detail = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body = {
        "detail": f"{exc.field}: {exc.message}" if exc.field else exc.message,
        "errors": [{"field": exc.field or "", "message": exc.message}],
    }
    return api.create_response(request, body, status=400)


api.add_router("/knowledge/", knowledge_router, tags=["knowledge"])
