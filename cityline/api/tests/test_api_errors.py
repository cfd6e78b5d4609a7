"""Every refusal of the native API is one JSON body naming the field at fault: 400 for bad input,
whoever found it, 404 for what does not exist; and the OpenAPI document says so."""

import json

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.testing import TestClient

from cityline.api.errors import install_error_handlers
from cityline.core.errors import DomainError
from cityline.knowledge.tests.factories import make_article


class UnknownThing(DomainError):
    code = "not_found"


@pytest.fixture
def refusing_client():
    """An API whose operations raise what services and validators raise."""
    api = NinjaAPI(urls_namespace="refusals")
    install_error_handlers(api)

    @api.get("/field")
    def field(request):
        raise DjangoValidationError({"address": ["is not in the city"]})

    @api.get("/form")
    def form(request):
        raise DjangoValidationError("the form is incomplete")

    @api.get("/rule")
    def rule(request):
        raise DomainError("a comment is too long", field="comment")

    @api.get("/missing")
    def missing(request):
        raise UnknownThing("no such request", field="tracking_number")

    return TestClient(api)


class TestRefusals:
    def test_a_django_validation_error_is_a_400_naming_the_field(self, refusing_client):
        # when
        response = refusing_client.get("/field")
        # then
        assert response.status_code == 400
        assert response.json() == {
            "detail": "address: is not in the city",
            "errors": [{"field": "address", "message": "is not in the city"}],
        }

    def test_a_validation_error_about_no_field_is_a_400(self, refusing_client):
        # when
        response = refusing_client.get("/form")
        # then
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": "", "message": "the form is incomplete"}]

    def test_a_broken_rule_is_a_400_naming_the_field(self, refusing_client):
        # when
        response = refusing_client.get("/rule")
        # then
        assert response.status_code == 400
        assert response.json()["detail"] == "comment: a comment is too long"

    def test_a_domain_error_for_something_unknown_is_a_404(self, refusing_client):
        # when
        response = refusing_client.get("/missing")
        # then
        assert response.status_code == 404
        assert response.json()["errors"] == [
            {"field": "tracking_number", "message": "no such request"}
        ]


@pytest.mark.django_db
class TestNativeApiAnswers:
    def test_bad_input_is_a_400_naming_the_field(self, client):
        # when
        response = client.get("/api/knowledge/search", {"q": ""})
        # then
        assert response.status_code == 400
        assert [error["field"] for error in response.json()["errors"]] == ["q"]

    def test_a_body_that_is_not_json_is_a_400_naming_the_body(self, client):
        # given
        make_article(slug="tree-removal")
        # when
        response = client.post(
            "/api/knowledge/articles/tree-removal/feedback",
            data="{not json",
            content_type="application/json",
        )
        # then
        assert response.status_code == 400
        assert [error["field"] for error in response.json()["errors"]] == ["body"]

    def test_an_unknown_article_is_a_404_with_the_same_body(self, client):
        # when
        response = client.get("/api/knowledge/articles/no-such-article")
        # then
        assert response.status_code == 404
        assert response.json() == {
            "detail": "no such article",
            "errors": [{"field": "", "message": "no such article"}],
        }

    def test_the_openapi_document_lists_the_error_answers(self, client):
        # when
        paths = client.get("/api/openapi.json").json()["paths"]
        # then
        answers = {
            (path, method): sorted(operation["responses"])
            for path, methods in paths.items()
            for method, operation in methods.items()
        }
        assert answers == {
            ("/api/knowledge/articles", "get"): ["200", "400"],
            ("/api/knowledge/articles/{slug}", "get"): ["200", "400", "404"],
            ("/api/knowledge/search", "get"): ["200", "400"],
            ("/api/knowledge/articles/{slug}/feedback", "post"): [
                "201",
                "400",
                "404",
                "422",
                "429",
            ],
            ("/api/agency/v1/requests/{tracking_number}/events", "post"): [
                "200",
                "201",
                "400",
                "401",
                "404",
                "409",
            ],
            ("/api/staff/v1/proactive", "post"): ["200", "400", "401", "403"],
            ("/api/v1/suggestions", "get"): ["200", "400"],
            ("/api/v1/service-groups", "get"): ["200"],
        }
        error = paths["/api/knowledge/search"]["get"]["responses"]["400"]
        assert json.dumps(error).count("ErrorOut") == 1
