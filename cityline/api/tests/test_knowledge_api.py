"""The knowledge base over the native JSON API: public fields only, clear errors, never a 500."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.models import ArticleFeedback, SearchLogEntry
from cityline.knowledge.tests.factories import make_article, sanitation, translate

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Escalate to the borough forester on 555-0199"
SECRET_SCRIPT = "Say: I am sorry, the forester is busy"


@pytest.fixture
def trees():
    article = make_article(
        slug="tree-removal",
        title="How do I get a tree removed?",
        topic="Trees",
        body="Parks inspects the **tree** and removes it if it is dead.",
        internal_notes=SECRET_NOTE,
        call_script=SECRET_SCRIPT,
    )
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Parques lo revisa.")
    return article


def _assert_no_internal_text(response):
    text = response.content.decode()
    assert SECRET_NOTE not in text
    assert SECRET_SCRIPT not in text
    assert "internal_notes" not in text
    assert "call_script" not in text


def _field_errors(response):
    return {error["field"] for error in response.json()["errors"]}


class TestSchema:
    def test_the_openapi_schema_describes_the_knowledge_endpoints(self, client):
        # when
        response = client.get("/api/openapi.json")
        # then
        assert response.status_code == 200
        paths = response.json()["paths"]
        assert "/api/knowledge/articles" in paths
        assert "/api/knowledge/articles/{slug}" in paths
        assert "/api/knowledge/search" in paths
        assert "post" in paths["/api/knowledge/articles/{slug}/feedback"]
        _assert_no_internal_text(response)

    def test_the_docs_page_is_served(self, client):
        assert client.get("/api/docs").status_code == 200


class TestArticleList:
    def test_published_articles_by_title(self, client, trees):
        # given
        make_article(slug="a-draft", title="A draft", published=False)
        make_article(slug="bulk", title="Bulk pickup", topic="Garbage", agency=sanitation())
        # when
        response = client.get("/api/knowledge/articles")
        # then
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 2
        assert [item["slug"] for item in body["items"]] == ["bulk", "tree-removal"]
        first = body["items"][1]
        assert first["title"] == "How do I get a tree removed?"
        assert first["language"] == "en"
        assert first["agency_code"] == "PARKS"
        assert first["agency_name"] == "Parks Department"
        _assert_no_internal_text(response)

    def test_filter_by_topic_agency_and_language(self, client, trees):
        # given
        make_article(slug="bulk", title="Bulk pickup", topic="Garbage", agency=sanitation())
        # when
        by_topic = client.get("/api/knowledge/articles", {"topic": "garbage"}).json()
        by_agency = client.get("/api/knowledge/articles", {"agency": "parks"}).json()
        in_spanish = client.get("/api/knowledge/articles", {"language": "es"}).json()
        # then
        assert [item["slug"] for item in by_topic["items"]] == ["bulk"]
        assert [item["slug"] for item in by_agency["items"]] == ["tree-removal"]
        assert [(i["slug"], i["title"], i["language"]) for i in in_spanish["items"]] == [
            ("tree-removal", "¿Cómo quito un árbol?", "es")
        ]

    def test_pages(self, client):
        # given
        for number in range(5):
            make_article(slug=f"article-{number}", title=f"Article {number}")
        # when
        body = client.get("/api/knowledge/articles", {"page": 2, "page_size": 2}).json()
        # then
        assert body["count"] == 5
        assert (body["page"], body["page_size"]) == (2, 2)
        assert [item["slug"] for item in body["items"]] == ["article-2", "article-3"]

    def test_the_number_of_queries_does_not_grow_with_the_page(self, client, trees):
        # given
        with CaptureQueriesContext(connection) as one:
            client.get("/api/knowledge/articles", {"language": "es"})
        for number in range(10):
            article = make_article(slug=f"article-{number}", title=f"Article {number}")
            translate(article, language="es", title=f"Artículo {number}", body="Texto.")
        # when
        with CaptureQueriesContext(connection) as eleven:
            response = client.get("/api/knowledge/articles", {"language": "es"})
        # then
        assert len(response.json()["items"]) == 11
        assert len(eleven) == len(one) <= 4

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"page": "0"}, "page"),
            ({"page": "first"}, "page"),
            ({"page_size": "1000"}, "page_size"),
            ({"language": "x" * 11}, "language"),
            ({"language": "<script>"}, "language"),
            ({"topic": "Tr\x00ees"}, "topic"),
            ({"agency": "PA\x00RKS"}, "agency"),
            ({"agency": "P" * 21}, "agency"),
        ],
    )
    def test_bad_input_names_the_field(self, client, params, field):
        # when
        response = client.get("/api/knowledge/articles", params)
        # then
        assert response.status_code == 400
        assert _field_errors(response) == {field}
        assert field in response.json()["detail"]


class TestArticleDetail:
    def test_public_fields_only(self, client, trees):
        # when
        response = client.get("/api/knowledge/articles/tree-removal")
        # then
        assert response.status_code == 200
        body = response.json()
        assert body["slug"] == "tree-removal"
        assert body["title"] == "How do I get a tree removed?"
        assert "<strong>tree</strong>" in body["body_html"]
        assert body["fallback"] is False
        assert body["agency_name"] == "Parks Department"
        _assert_no_internal_text(response)

    def test_in_the_readers_language(self, client, trees):
        # when
        body = client.get("/api/knowledge/articles/tree-removal", {"language": "es"}).json()
        # then
        assert (body["language"], body["title"], body["fallback"]) == (
            "es",
            "¿Cómo quito un árbol?",
            False,
        )

    def test_falls_back_to_the_source_language(self, client, trees):
        # when
        response = client.get("/api/knowledge/articles/tree-removal", {"language": "ar"})
        # then
        body = response.json()
        assert (body["requested_language"], body["language"], body["fallback"]) == (
            "ar",
            "en",
            True,
        )
        _assert_no_internal_text(response)

    def test_service_types_and_related_articles(self, client):
        # given
        service_type = ServiceTypeFactory(code="tree-inspection", name="Tree Inspection")
        other = make_article(slug="stump", title="Stump removal")
        make_article(
            slug="tree-removal",
            title="Tree removal",
            service_types=[service_type],
            related_articles=[other],
        )
        # when
        body = client.get("/api/knowledge/articles/tree-removal").json()
        # then
        assert body["service_types"] == [{"code": "tree-inspection", "name": "Tree Inspection"}]
        assert body["related"] == [{"slug": "stump", "title": "Stump removal"}]

    @pytest.mark.parametrize("slug", ["no-such-article", "a-draft"])
    def test_unknown_or_unpublished_is_404(self, client, slug):
        # given
        make_article(slug="a-draft", title="A draft", internal_notes=SECRET_NOTE, published=False)
        # when
        response = client.get(f"/api/knowledge/articles/{slug}")
        # then
        assert response.status_code == 404
        _assert_no_internal_text(response)

    def test_bad_language_names_the_field(self, client, trees):
        # when
        response = client.get("/api/knowledge/articles/tree-removal", {"language": ""})
        # then
        assert response.status_code == 400
        assert _field_errors(response) == {"language"}


class TestSearch:
    def test_finds_articles_and_service_types_and_logs_the_search(self, client, trees):
        # given
        ServiceTypeFactory(code="tree-inspection", name="Tree Inspection")
        search_index_service_types()
        # when
        response = client.get("/api/knowledge/search", {"q": "tree", "language": "es"})
        # then
        assert response.status_code == 200
        body = response.json()
        assert body["language"] == "es"
        assert {(r["kind"], r["key"]) for r in body["results"]} == {
            ("article", "tree-removal"),
            ("service_type", "tree-inspection"),
        }
        assert next(r for r in body["results"] if r["kind"] == "article")["title"] == (
            "¿Cómo quito un árbol?"
        )
        entry = SearchLogEntry.objects.get()
        assert (entry.query, entry.language, entry.result_count) == ("tree", "es", 2)

    def test_internal_text_is_never_searched_or_shown(self, client, trees):
        # when
        response = client.get("/api/knowledge/search", {"q": "borough forester"})
        # then
        assert response.json()["results"] == []
        _assert_no_internal_text(response)

    def test_the_number_of_queries_does_not_grow_with_the_results(self, client, trees):
        # given
        with CaptureQueriesContext(connection) as few:
            client.get("/api/knowledge/search", {"q": "tree", "language": "es"})
        for number in range(9):
            article = make_article(slug=f"tree-{number}", title=f"Tree question {number}")
            translate(article, language="es", title=f"Árbol {number}", body="Texto.")
        # when
        with CaptureQueriesContext(connection) as many:
            response = client.get("/api/knowledge/search", {"q": "tree", "language": "es"})
        # then
        assert len(response.json()["results"]) == 10
        assert len(many) == len(few) <= 8

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({}, "q"),
            ({"q": ""}, "q"),
            ({"q": "x" * 201}, "q"),
            ({"q": "tree", "limit": "0"}, "limit"),
            ({"q": "tree", "language": "x" * 11}, "language"),
        ],
    )
    def test_bad_input_names_the_field(self, client, params, field):
        # when
        response = client.get("/api/knowledge/search", params)
        # then
        assert response.status_code == 400
        assert _field_errors(response) == {field}
        assert not SearchLogEntry.objects.exists()


class TestFeedback:
    def _post(self, client, slug, body):
        return client.post(
            f"/api/knowledge/articles/{slug}/feedback",
            data=body if isinstance(body, str) else json.dumps(body),
            content_type="application/json",
        )

    def test_a_reader_says_an_article_helped(self, client, trees):
        # when
        response = self._post(
            client, "tree-removal", {"helpful": False, "language": "es", "comment": "Too short"}
        )
        # then
        assert response.status_code == 201
        assert response.json() == {"article": "tree-removal", "language": "es", "helpful": False}
        feedback = ArticleFeedback.objects.get()
        assert (feedback.article, feedback.helpful, feedback.comment) == (trees, False, "Too short")

    def test_the_language_defaults_to_english(self, client, trees):
        # when
        response = self._post(client, "tree-removal", {"helpful": True})
        # then
        assert response.status_code == 201
        assert ArticleFeedback.objects.get().language == "en"

    def test_unknown_article_is_404(self, client):
        # when
        response = self._post(client, "no-such-article", {"helpful": True})
        # then
        assert response.status_code == 404
        assert not ArticleFeedback.objects.exists()

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "helpful"),
            ({"helpful": "perhaps"}, "helpful"),
            ({"helpful": True, "comment": "x" * 2001}, "comment"),
            ({"helpful": True, "language": ""}, "language"),
        ],
    )
    def test_bad_input_names_the_field(self, client, trees, body, field):
        # when
        response = self._post(client, "tree-removal", body)
        # then
        assert response.status_code == 400
        assert _field_errors(response) == {field}
        assert not ArticleFeedback.objects.exists()

    @pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"helpful"'])
    def test_a_malformed_body_is_a_client_error(self, client, trees, body):
        # when
        response = self._post(client, "tree-removal", body)
        # then
        assert 400 <= response.status_code < 500
        assert not ArticleFeedback.objects.exists()

    def test_a_blank_comment_after_trimming_is_stored_empty(self, client, trees):
        # when
        response = self._post(client, "tree-removal", {"helpful": True, "comment": "   "})
        # then
        assert response.status_code == 201
        assert ArticleFeedback.objects.get().comment == ""


class TestAwkwardCharacters:
    """Text no database column can hold is a client's problem, never a server error."""

    @pytest.mark.parametrize("slug", ["tree%00removal", "tree%20removal", "x" * 121])
    def test_a_slug_that_cannot_exist_is_404(self, client, trees, slug):
        assert client.get(f"/api/knowledge/articles/{slug}").status_code == 404

    def test_a_search_with_a_nul_character_is_answered_and_logged_without_it(self, client, trees):
        # when
        response = client.get("/api/knowledge/search", {"q": "tree\x00 removal"})
        # then
        assert response.status_code == 200
        assert SearchLogEntry.objects.get().query == "tree removal"

    def test_feedback_with_a_nul_character_is_stored_without_it(self, client, trees):
        # when
        response = client.post(
            "/api/knowledge/articles/tree-removal/feedback",
            data=json.dumps({"helpful": True, "comment": "ok\x00"}),
            content_type="application/json",
        )
        # then
        assert response.status_code == 201
        assert ArticleFeedback.objects.get().comment == "ok"

    def test_feedback_for_a_slug_that_cannot_exist_is_404(self, client, trees):
        # when
        response = client.post(
            "/api/knowledge/articles/tree%00removal/feedback",
            data=json.dumps({"helpful": True}),
            content_type="application/json",
        )
        # then
        assert response.status_code == 404
