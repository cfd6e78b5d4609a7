"""Every search a reader makes is logged, for the worklist of questions without an answer."""

from datetime import UTC, datetime

import pytest
import time_machine

from cityline.core.errors import DomainError
from cityline.knowledge.models import SearchLogEntry
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.services import knowledge_search_logged, search_query_normalise
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_search_returns_what_knowledge_search_returns_and_is_logged():
    # given
    make_article(slug="tree-removal", title="How do I get a tree removed?")
    at = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    # when
    with time_machine.travel(at, tick=False):
        results = knowledge_search_logged(query="  Tree   REMOVAL ", language="en")
    # then
    assert results == knowledge_search(query="  Tree   REMOVAL ", language="en")
    entry = SearchLogEntry.objects.get()
    assert entry.query == "tree removal"
    assert entry.language == "en"
    assert entry.result_count == len(results) == 1
    assert entry.top_result == "article:tree-removal"
    assert entry.top_score == results[0].score
    assert entry.created_at == at


def test_a_search_that_finds_nothing_is_logged_with_no_top_result():
    # when
    results = knowledge_search_logged(query="Zebra crossing", language="es")
    # then
    assert results == []
    entry = SearchLogEntry.objects.get()
    assert entry.query == "zebra crossing"
    assert entry.language == "es"
    assert entry.result_count == 0
    assert entry.top_result == ""
    assert entry.top_score is None


def test_a_blank_search_is_not_logged():
    # when
    results = knowledge_search_logged(query="   ", language="en")
    # then
    assert results == []
    assert not SearchLogEntry.objects.exists()


def test_a_long_search_is_cut_to_fit_the_log():
    # when
    knowledge_search_logged(query="pothole " * 100, language="en")
    # then
    assert len(SearchLogEntry.objects.get().query) == 200


def test_the_same_question_typed_differently_is_written_the_same_way():
    assert search_query_normalise("Dead\tRACCOON\n on  street") == "dead raccoon on street"


def test_a_search_without_a_language_is_refused():
    with pytest.raises(DomainError) as raised:
        knowledge_search_logged(query="pothole", language="")
    assert raised.value.field == "language"
