from datetime import UTC, datetime

import pytest
import time_machine

from cityline.knowledge.selectors import Topic, topic_list_public
from cityline.knowledge.services import article_expire, revision_draft_save, revision_submit
from cityline.knowledge.tests.factories import editor_of, make_article

pytestmark = pytest.mark.django_db


def _at(day):
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


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
    assert topics == [
        Topic(name="garbage", article_count=1, title="garbage"),
        Topic(name="Trees", article_count=2, title="Trees"),
    ]


def test_an_expired_articles_topic_is_not_listed():
    # given
    article = make_article(topic="Trees")
    # when
    with time_machine.travel("2030-01-01", tick=False):
        article_expire(article=article, by=editor_of(article.agency))
        topics = topic_list_public()
    # then
    assert topics == []


def test_an_article_with_a_new_draft_under_review_keeps_its_topic():
    # given
    article = make_article(topic="Trees")
    editor = editor_of(article.agency)
    draft = revision_draft_save(
        article=article, language="en", title="Tree removal?", body="Changed.", by=editor
    )
    revision_submit(revision=draft, by=editor)
    # when
    topics = topic_list_public()
    # then
    assert topics == [Topic(name="Trees", article_count=1, title="Trees")]


def test_an_article_past_its_expiry_leaves_the_topics_before_the_schedule_archives_it():
    # given
    with time_machine.travel("2030-01-01", tick=False):
        article = make_article(topic="Trees")
        article_expire(article=article, by=editor_of(article.agency), at=_at("2030-01-02"))
    # when
    with time_machine.travel("2030-01-03", tick=False):
        topics = topic_list_public()
    # then
    assert topics == []


def test_the_topics_cost_one_query_however_many_articles_there_are(django_assert_num_queries):
    # given
    for number in range(5):
        make_article(slug=f"question-{number}", title=f"Question {number}?", topic=f"T{number}")
    # when / then
    with django_assert_num_queries(1):
        assert len(topic_list_public()) == 5
