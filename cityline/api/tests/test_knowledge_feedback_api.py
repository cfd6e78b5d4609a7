"""Readers' votes through the API: one per reader and article, a limit per address, and a burst
of votes from many addresses damped in the ranking."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from cityline.knowledge.indexing import VOTES_COUNTED_PER_HOUR, search_popularity
from cityline.knowledge.models import ArticleFeedback, SearchDocument
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _vote(client, slug, *, helpful=True, address="203.0.113.7"):
    return client.post(
        f"/api/knowledge/articles/{slug}/feedback",
        data=json.dumps({"helpful": helpful}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_a_reader_voting_again_changes_their_one_vote(client):
    # given
    article = make_article()
    assert _vote(client, article.slug, helpful=True).status_code == 201
    # when
    response = _vote(client, article.slug, helpful=False)
    # then
    assert response.status_code == 201
    assert list(ArticleFeedback.objects.values_list("helpful", flat=True)) == [False]


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False)
def test_an_address_that_answers_too_often_gets_429_and_nothing_is_stored(client):
    # given
    articles = [make_article(slug=f"answer-{n}", title=f"Question {n}") for n in range(11)]
    for article in articles[:10]:
        assert _vote(client, article.slug).status_code == 201
    # when
    refused = _vote(client, articles[10].slug)
    elsewhere = _vote(client, articles[10].slug, address="198.51.100.1")
    # then
    assert refused.status_code == 429
    assert "try again" in refused.json()["detail"]
    assert elsewhere.status_code == 201
    assert ArticleFeedback.objects.filter(article=articles[10]).count() == 1


# Frozen mid-hour: a burst that ran across an hour's turn would count as two hours' worth.
@time_machine.travel(datetime(2026, 3, 2, 10, 30, tzinfo=UTC), tick=False)
def test_a_burst_of_votes_from_many_addresses_counts_as_an_hours_worth(client):
    # given three articles that answer "recycling", the burst's target last
    make_article(slug="recycling-a", title="Recycling rules", body="Recycling bins.")
    make_article(slug="recycling-b", title="Recycling rules", body="What goes in which bin.")
    make_article(slug="recycling-c", title="Bins and bags", body="Recycling goes in the blue bin.")
    before = [result.key for result in knowledge_search(query="recycling", language="en")]
    assert before[-1] == "recycling-c"
    # when 300 addresses vote for it at once
    for n in range(300):
        assert _vote(client, "recycling-c", address=f"10.0.{n // 250}.{n % 250}").status_code == 201
    # then
    popularity = SearchDocument.objects.get(article__slug="recycling-c").popularity
    assert popularity == pytest.approx(
        search_popularity(helpful=VOTES_COUNTED_PER_HOUR, not_helpful=0)
    )
    after = [result.key for result in knowledge_search(query="recycling", language="en")]
    assert after == before
