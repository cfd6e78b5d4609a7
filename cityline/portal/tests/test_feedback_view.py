from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cityline.knowledge.models import ArticleFeedback
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _url(slug="tree-removal"):
    return reverse("portal:feedback", args=[slug])


def test_feedback_is_stored_and_the_reader_is_thanked_on_the_article(client):
    # given
    make_article()
    # when
    response = client.post(_url(), {"helpful": "no", "comment": "I wanted a stump removed."})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/help/articles/tree-removal/?feedback=sent#feedback"
    feedback = ArticleFeedback.objects.get()
    assert (feedback.helpful, feedback.comment, feedback.language) == (
        False,
        "I wanted a stump removed.",
        "en",
    )
    assert "Thank you." in client.get(response["Location"]).content.decode()


def test_with_htmx_only_the_feedback_box_is_answered(client):
    # given
    make_article()
    # when
    response = client.post(
        _url(), {"helpful": "yes"}, headers={"hx-request": "true", "accept-language": "es"}
    )
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert page.strip().startswith('<section id="feedback"')
    assert "Gracias." in page
    assert ArticleFeedback.objects.get().language == "es"


@pytest.mark.parametrize("htmx", [False, True])
def test_feedback_without_an_answer_is_refused_naming_the_field(client, htmx):
    # given
    make_article()
    headers = {"hx-request": "true"} if htmx else {}
    # when
    response = client.post(_url(), {"comment": "hm"}, headers=headers)
    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert "Did this answer your question?</a>: This field is required." in page
    assert ("<html" in page) is not htmx
    assert not ArticleFeedback.objects.exists()


def test_an_overlong_comment_is_refused_and_nothing_stored(client):
    # given
    make_article()
    # when
    response = client.post(_url(), {"helpful": "yes", "comment": "x" * 2001})
    # then
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_feedback_needs_the_csrf_token():
    # given
    make_article()
    client = Client(enforce_csrf_checks=True)
    # when
    response = client.post(_url(), {"helpful": "yes"})
    # then
    assert response.status_code == 403
    assert not ArticleFeedback.objects.exists()


def test_feedback_on_an_unpublished_or_unknown_article_is_not_found(client):
    # given
    make_article(published=False)
    # when
    draft = client.post(_url(), {"helpful": "yes"})
    unknown = client.post(_url("nothing-here"), {"helpful": "yes"})
    # then
    assert (draft.status_code, unknown.status_code) == (404, 404)
    assert not ArticleFeedback.objects.exists()


def test_feedback_is_only_posted(client):
    # given
    make_article()
    # when / then
    assert client.get(_url()).status_code == 405


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False)
def test_a_reader_who_answers_too_often_is_asked_to_wait_and_nothing_is_stored(client):
    # given
    for n in range(10):
        make_article(slug=f"answer-{n}", title=f"Question {n}")
        assert client.post(_url(f"answer-{n}"), {"helpful": "yes"}).status_code == 302
    # when
    response = client.post(_url("answer-9"), {"helpful": "no"}, headers={"hx-request": "true"})
    # then
    assert response.status_code == 429
    assert "try again shortly" in response.content.decode()
    assert list(
        ArticleFeedback.objects.filter(article__slug="answer-9").values_list("helpful", flat=True)
    ) == [True]
