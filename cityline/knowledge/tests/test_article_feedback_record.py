"""'Did this answer your question?'"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.http import Http404

from cityline.core.errors import DomainError
from cityline.knowledge.models import ArticleFeedback
from cityline.knowledge.services import article_expire, article_feedback_record
from cityline.knowledge.tests.factories import editor_of, make_article

pytestmark = pytest.mark.django_db


def test_a_reader_says_an_article_helped():
    # given
    article = make_article()
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    # when
    with time_machine.travel(at, tick=False):
        feedback = article_feedback_record(
            client="10.0.0.1", slug=article.slug, language="es", helpful=True
        )
    # then
    feedback.refresh_from_db()
    assert feedback.article == article
    assert feedback.language == "es"
    assert feedback.helpful is True
    assert feedback.comment == ""
    assert feedback.created_at == at


def test_a_reader_says_it_did_not_help_and_why():
    # given
    article = make_article()
    # when
    feedback = article_feedback_record(
        client="10.0.0.1",
        slug=article.slug,
        language="en",
        helpful=False,
        comment="  It does not say how long.  ",
    )
    # then
    assert feedback.helpful is False
    assert feedback.comment == "It does not say how long."


def test_feedback_keeps_nothing_about_the_reader_but_a_hash_for_this_article():
    # given
    field_names = {field.name for field in ArticleFeedback._meta.get_fields()}
    trees, bins = make_article(), make_article(slug="bins", title="Which bin?")
    # when
    on_trees = article_feedback_record(
        client="203.0.113.7", slug=trees.slug, language="en", helpful=True
    )
    on_bins = article_feedback_record(
        client="203.0.113.7", slug=bins.slug, language="en", helpful=True
    )
    # then
    assert field_names == {"id", "article", "voter", "language", "helpful", "comment", "created_at"}
    assert "203.0.113.7" not in on_trees.voter
    assert on_trees.voter != on_bins.voter


def test_a_reader_has_one_vote_per_article():
    # given
    article = make_article()
    article_feedback_record(client="203.0.113.7", slug=article.slug, language="en", helpful=True)
    # when
    article_feedback_record(client="203.0.113.7", slug=article.slug, language="en", helpful=False)
    article_feedback_record(client="198.51.100.1", slug=article.slug, language="en", helpful=True)
    # then
    assert sorted(ArticleFeedback.objects.values_list("helpful", flat=True)) == [False, True]


def test_a_draft_article_takes_no_feedback():
    # given
    article = make_article(published=False)
    # when / then
    with pytest.raises(Http404):
        article_feedback_record(client="10.0.0.1", slug=article.slug, language="en", helpful=True)
    assert not ArticleFeedback.objects.exists()


def test_an_expired_article_takes_no_feedback():
    # given
    article = make_article()
    article_expire(article=article, by=editor_of(article.agency))
    # when / then
    with pytest.raises(Http404):
        article_feedback_record(client="10.0.0.1", slug=article.slug, language="en", helpful=True)


def test_an_unknown_article_takes_no_feedback():
    with pytest.raises(Http404):
        article_feedback_record(
            client="10.0.0.1", slug="no-such-article", language="en", helpful=True
        )


def test_a_comment_that_is_too_long_is_refused():
    # given
    article = make_article()
    # when / then
    with pytest.raises(DomainError) as raised:
        article_feedback_record(
            client="10.0.0.1", slug=article.slug, language="en", helpful=False, comment="x" * 2001
        )
    assert raised.value.field == "comment"
    assert not ArticleFeedback.objects.exists()


@pytest.mark.parametrize("language", ["", "   ", "x" * 11])
def test_a_missing_or_overlong_language_is_refused(language):
    # given
    article = make_article()
    # when / then
    with pytest.raises(DomainError) as raised:
        article_feedback_record(
            client="10.0.0.1", slug=article.slug, language=language, helpful=True
        )
    assert raised.value.field == "language"
