import pytest
from django.http import Http404

from cityline.knowledge.selectors import article_list_for_topic
from cityline.knowledge.tests.factories import make_article, translate

pytestmark = pytest.mark.django_db


def test_a_topics_articles_are_titled_in_the_readers_language_or_else_the_source():
    # given
    removal = make_article(slug="tree-removal", title="How do I get a tree removed?", topic="Trees")
    translate(removal, language="es", title="¿Cómo quito un árbol?", body="Parques.")
    make_article(slug="tree-pruning", title="Can you prune a tree?", topic="Trees")
    make_article(slug="bulk", title="When is bulk pickup?", topic="Garbage")
    # when
    articles = article_list_for_topic(topic="Trees", language="es")
    # then
    assert [(a.slug, a.language, a.title) for a in articles] == [
        ("tree-pruning", "en", "Can you prune a tree?"),
        ("tree-removal", "es", "¿Cómo quito un árbol?"),
    ]


def test_a_topic_without_live_articles_is_not_found():
    # given
    make_article(topic="Drafts", published=False)
    # when / then
    with pytest.raises(Http404):
        article_list_for_topic(topic="Drafts", language="en")


def test_an_article_published_only_in_another_language_is_left_out():
    # given
    article = make_article(topic="Trees", published=False)
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Parques.")
    make_article(slug="tree-pruning", title="Can you prune a tree?", topic="Trees")
    # when
    english = article_list_for_topic(topic="Trees", language="en")
    spanish = article_list_for_topic(topic="Trees", language="es")
    # then
    assert [summary.slug for summary in english] == ["tree-pruning"]
    assert [summary.slug for summary in spanish] == ["tree-pruning", "tree-removal"]
