import pytest
import time_machine

from cityline.knowledge.selectors import Topic, topic_list_public
from cityline.knowledge.services import article_expire
from cityline.knowledge.tests.factories import editor_of, make_article

pytestmark = pytest.mark.django_db


def test_topics_of_live_articles_are_listed_by_name_with_their_counts():
    # given
    make_article(slug="tree-removal", topic="Trees")
    make_article(slug="tree-pruning", title="Can you prune a tree?", topic="Trees")
    make_article(slug="bulk", title="When is bulk pickup?", topic="garbage")
    make_article(slug="draft-only", title="A draft", topic="Drafts", published=False)
    make_article(slug="no-topic", title="No topic")
    # when
    topics = topic_list_public()
    # then
    assert topics == [Topic(name="garbage", article_count=1), Topic(name="Trees", article_count=2)]


def test_an_expired_articles_topic_is_not_listed():
    # given
    article = make_article(topic="Trees")
    # when
    with time_machine.travel("2030-01-01", tick=False):
        article_expire(article=article, by=editor_of(article.agency))
        topics = topic_list_public()
    # then
    assert topics == []
