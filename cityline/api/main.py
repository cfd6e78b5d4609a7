"""Cityline's native JSON API, described by OpenAPI at /api/openapi.json and browsable at
/api/docs. Only what any reader may see is published here."""

from ninja import NinjaAPI, Swagger

from cityline.api.errors import install_error_handlers
from cityline.api.knowledge import router as knowledge_router
from cityline.api.staff import router as staff_router
from cityline.api.suggestions import router as suggestions_router
from cityline.integrations.api import router as agency_router

api = NinjaAPI(
    title="Cityline API",
    version="1",
    description="Published knowledge articles and search, and service-type suggestions from a "
    "resident's own words, for apps and chatbots.",
    urls_namespace="api",
    # Swagger UI would otherwise send the document to an outside validator for a badge.
    docs=Swagger(settings={"validatorUrl": None}),
)


install_error_handlers(api)
api.add_router("/knowledge/", knowledge_router, tags=["knowledge"])
api.add_router("/v1/", suggestions_router, tags=["suggestions"])
api.add_router("/agency/v1/", agency_router)
api.add_router("/staff/v1/", staff_router)
