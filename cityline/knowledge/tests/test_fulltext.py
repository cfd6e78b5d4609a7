"""The database's own full-text index: SQLite's FTS5 table or PostgreSQL's tsvector column,
whichever database the suite runs on, kept in step with the search documents by the database."""

import pytest
from django.db import connection

from cityline.knowledge.fulltext import POSTGRESQL, SQLITE, dialect
from cityline.knowledge.models import SearchDocument
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _matching(word):
    """The documents the database's full-text index finds for one word, best first."""
    sql = dialect()
    query = sql.quote.format(word)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id FROM {sql.source} WHERE {sql.match} ORDER BY {sql.relevance} DESC",
            [query, query] if sql.relevance_takes_query else [query],
        )
        return [row[0] for row in cursor.fetchall()]


def _document(title_terms, body_terms=""):
    article = make_article(slug=title_terms.replace(" ", "-"), published=False)
    return SearchDocument.objects.create(
        article=article, title=title_terms, title_terms=title_terms, body_terms=body_terms
    )


def test_each_database_speaks_its_own_dialect():
    assert dialect() is {"sqlite": SQLITE, "postgresql": POSTGRESQL}[connection.vendor]


def test_the_index_follows_documents_as_they_are_written_changed_and_removed():
    # given
    document = _document("pothole repair")
    assert _matching("pothole") == [document.pk]
    # when
    document.title_terms = "sinkhole repair"
    document.save()
    # then
    assert _matching("pothole") == []
    assert _matching("sinkhole") == [document.pk]
    # when
    document.delete()
    # then
    assert _matching("sinkhole") == []


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body():
    # given
    in_body = _document("street repair", "a pothole in the road")
    in_title = _document("pothole repair", "the road")
    # when / then
    assert _matching("pothole") == [in_title.pk, in_body.pk]


def test_a_short_document_ranks_above_a_long_one_with_the_same_words():
    # given
    long = _document("pothole repair works", "what to expect when the city fixes the street " * 5)
    short = _document("pothole repair", "fast")
    # when / then
    assert _matching("pothole") == [short.pk, long.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_a_written_document_leaves_no_pending_entries_for_searches_to_read():
    # given
    _document("pothole repair", "a hole in the road")
    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list('knowledge_searchdocument_vector_idx'::regclass)"
        )
        (pending_pages,) = cursor.fetchone()
    # then
    assert pending_pages == 0
