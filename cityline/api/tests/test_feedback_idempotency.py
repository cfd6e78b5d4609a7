"""Feedback POSTs with an Idempotency-Key: a retry gets the first answer and counts once."""

import json

import pytest

from cityline.knowledge.models import ArticleFeedback
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db
URL = "/api/knowledge/articles/tree-removal/feedback"
KEY = "0b6f1d0e-77a4-4f7c-9d64-5d1f1b3f2a11"


@pytest.fixture
def trees():
    return make_article(slug="tree-removal")


def _post(client, body, *, url=URL, key=KEY):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_a_retry_gets_the_first_answer_and_counts_once(client, trees):
    # given
    first = _post(client, {"helpful": False, "comment": "A stump, not a tree."})
    # when
    retry = client.post(
        URL,
        '{"comment": "A stump, not a tree.",  "helpful": false}',  # the same, written otherwise
        content_type="application/json",
        headers={"Idempotency-Key": KEY},
    )
    # then
    assert first.status_code == retry.status_code == 201, retry.content
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ArticleFeedback.objects.count() == 1


def test_the_key_may_be_a_query_parameter(client, trees):
    # given
    _post(client, {"helpful": True}, url=f"{URL}?idempotency_key={KEY}", key=None)
    # when
    retry = _post(client, {"helpful": True}, url=f"{URL}?idempotency_key={KEY}", key=None)
    # then
    assert retry.status_code == 201
    assert ArticleFeedback.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_naming_the_key(client, trees):
    # given
    _post(client, {"helpful": True})
    # when
    response = _post(client, {"helpful": False})
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["Idempotency-Key"]
    assert list(ArticleFeedback.objects.values_list("helpful", flat=True)) == [True]


def test_a_refusal_is_not_remembered(client, trees):
    # given
    refused = _post(client, {"helpful": "perhaps"})
    # when
    accepted = _post(client, {"helpful": True})
    # then
    assert refused.status_code == 400
    assert accepted.status_code == 201
    assert ArticleFeedback.objects.count() == 1


@pytest.mark.parametrize("key", ["", "two words", "k" * 256])
def test_a_malformed_key_is_a_400_naming_it(client, trees, key):
    # when
    response = _post(client, {"helpful": True}, key=key)
    # then
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["Idempotency-Key"]
    assert not ArticleFeedback.objects.exists()


def test_the_openapi_document_describes_the_key(client):
    # when
    operation = client.get("/api/openapi.json").json()["paths"][
        "/api/knowledge/articles/{slug}/feedback"
    ]["post"]
    # then
    places = {(parameter["in"], parameter["name"]) for parameter in operation["parameters"]}
    assert {("header", "Idempotency-Key"), ("query", "idempotency_key")} <= places
