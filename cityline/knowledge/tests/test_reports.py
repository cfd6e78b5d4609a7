"""The Agency Relations worklist: unanswered searches, stale articles, unhelpful articles."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.knowledge.models import ArticleFeedback, SearchLogEntry
from cityline.knowledge.reports import (
    LOW_SCORE,
    article_helpful_rates,
    articles_not_reviewed,
    searches_without_good_result,
)
from cityline.knowledge.services import article_expire
from cityline.knowledge.tests.factories import editor_of, make_article, parks, sanitation

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _search(query, *, results=0, score=None, days_ago=1, language="en"):
    SearchLogEntry.objects.create(
        query=query,
        language=language,
        result_count=results,
        top_result="article:something" if results else "",
        top_score=score,
        created_at=NOW - timedelta(days=days_ago),
    )


class TestSearchesWithoutGoodResult:
    def test_frequent_zero_result_and_low_scoring_searches_come_first(self):
        # given
        for _ in range(3):
            _search("zebra crossing")
        for _ in range(2):
            _search("bike lane", results=4, score=LOW_SCORE / 2)
        _search("pothole", results=3, score=LOW_SCORE * 2)
        _search("pothole", results=3, score=LOW_SCORE)
        _search("snow", results=0)
        # when
        report = searches_without_good_result(days=30)
        # then
        assert [(row.query, row.count, row.zero_results) for row in report] == [
            ("zebra crossing", 3, 3),
            ("bike lane", 2, 0),
            ("snow", 1, 1),
        ]
        assert report[0].last_searched_at == NOW - timedelta(days=1)

    def test_searches_outside_the_window_are_left_out(self):
        # given
        _search("zebra crossing", days_ago=40)
        _search("snow", days_ago=5)
        # when
        report = searches_without_good_result(days=30)
        # then
        assert [row.query for row in report] == ["snow"]

    def test_each_language_is_counted_apart(self):
        # given
        _search("parque", language="es")
        _search("parque", language="es")
        _search("parque", language="en")
        # when
        report = searches_without_good_result(days=30)
        # then
        assert [(row.language, row.count) for row in report] == [("es", 2), ("en", 1)]

    def test_rare_searches_can_be_left_out(self):
        # given
        _search("zebra crossing")
        _search("zebra crossing")
        _search("snow")
        # when
        report = searches_without_good_result(days=30, min_count=2)
        # then
        assert [row.query for row in report] == ["zebra crossing"]


class TestArticlesNotReviewed:
    def _article(self, slug, reviewed_at, agency=None):
        with time_machine.travel(reviewed_at, tick=False):
            return make_article(slug=slug, title=slug.replace("-", " "), agency=agency)

    def test_articles_not_reviewed_in_the_months_given_by_agency_oldest_first(self):
        # given
        old_parks = self._article("old-trees", datetime(2025, 1, 10, tzinfo=UTC), parks())
        older_parks = self._article("older-trees", datetime(2024, 5, 1, tzinfo=UTC), parks())
        old_sanitation = self._article("old-bulk", datetime(2025, 2, 1, tzinfo=UTC), sanitation())
        self._article("fresh-trees", datetime(2026, 5, 1, tzinfo=UTC), parks())
        # when
        report = list(articles_not_reviewed(months=6))
        # then
        assert report == [older_parks, old_parks, old_sanitation]

    def test_the_cutoff_is_the_same_day_n_months_ago(self):
        # given
        just_old = self._article("just-old", datetime(2025, 12, 15, 11, 59, tzinfo=UTC))
        self._article("just-fresh", datetime(2025, 12, 15, 12, 1, tzinfo=UTC))
        # when
        report = list(articles_not_reviewed(months=6))
        # then
        assert report == [just_old]

    def test_one_agency_sees_its_own_worklist(self):
        # given
        self._article("old-trees", datetime(2025, 1, 10, tzinfo=UTC), parks())
        old_bulk = self._article("old-bulk", datetime(2025, 2, 1, tzinfo=UTC), sanitation())
        # when
        report = list(articles_not_reviewed(months=6, agency=sanitation()))
        # then
        assert report == [old_bulk]

    def test_drafts_and_expired_articles_are_not_on_the_worklist(self):
        # given
        make_article(slug="a-draft", published=False)
        expired = self._article("expired", datetime(2024, 1, 1, tzinfo=UTC))
        article_expire(article=expired, by=editor_of(expired.agency))
        # when / then
        assert list(articles_not_reviewed(months=6)) == []

    def test_an_article_past_its_expiry_is_off_the_worklist_before_the_schedule_archives_it(self):
        # given
        expiring = self._article("expiring", datetime(2024, 1, 1, tzinfo=UTC))
        with time_machine.travel(NOW - timedelta(days=2), tick=False):
            article_expire(
                article=expiring, by=editor_of(expiring.agency), at=NOW - timedelta(days=1)
            )
        # when / then
        assert list(articles_not_reviewed(months=6)) == []

    def test_negative_months_are_refused(self):
        with pytest.raises(ValueError, match="months"):
            articles_not_reviewed(months=-1)


class TestArticleHelpfulRates:
    def _feedback(self, article, *answers, days_ago=1):
        for helpful in answers:
            ArticleFeedback.objects.create(
                article=article,
                language="en",
                helpful=helpful,
                created_at=NOW - timedelta(days=days_ago),
            )

    def test_the_least_helpful_articles_come_first(self):
        # given
        trees = make_article(slug="trees", title="Trees")
        bulk = make_article(slug="bulk", title="Bulk", agency=sanitation())
        parking = make_article(slug="parking", title="Parking")
        make_article(slug="no-feedback", title="No feedback")
        self._feedback(trees, True, True, True, False)
        self._feedback(bulk, False, False, True)
        self._feedback(parking, True)
        # when
        report = article_helpful_rates()
        # then
        assert [(row.slug, row.helpful, row.not_helpful) for row in report] == [
            ("bulk", 1, 2),
            ("trees", 3, 1),
            ("parking", 1, 0),
        ]
        assert report[0].rate == pytest.approx(1 / 3)
        assert report[0].total == 3
        assert report[0].agency_name == "Sanitation Department"

    def test_a_window_an_agency_and_a_minimum_number_of_answers(self):
        # given
        trees = make_article(slug="trees", title="Trees")
        bulk = make_article(slug="bulk", title="Bulk", agency=sanitation())
        self._feedback(trees, False, False, days_ago=60)
        self._feedback(trees, True, days_ago=2)
        self._feedback(bulk, False, days_ago=2)
        # when / then
        assert [(r.slug, r.total) for r in article_helpful_rates(days=30)] == [
            ("bulk", 1),
            ("trees", 1),
        ]
        assert [r.slug for r in article_helpful_rates(agency=parks())] == ["trees"]
        assert [r.slug for r in article_helpful_rates(min_responses=2)] == ["trees"]
