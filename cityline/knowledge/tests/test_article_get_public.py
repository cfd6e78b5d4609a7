import dataclasses
from html.parser import HTMLParser

import pytest
from django.http import Http404

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.knowledge.selectors import article_get_public
from cityline.knowledge.services import revision_draft_save
from cityline.knowledge.tests.factories import editor_of, make_article, translate

pytestmark = pytest.mark.django_db

SECRET_NOTES = "Escalate to the borough forester; his cell is 555-0100."
SECRET_SCRIPT = "Say: I am sorry, the backlog is eleven weeks."


def _secret_article(**extra):
    return make_article(internal_notes=SECRET_NOTES, call_script=SECRET_SCRIPT, **extra)


def test_a_reader_gets_the_published_answer_in_their_language():
    # given
    article = make_article(title="How do I get a tree removed?", body="Ask **Parks**.")
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Pida a **Parques**.")
    # when
    answer = article_get_public(slug="tree-removal", language="es")
    # then
    assert answer.title == "¿Cómo quito un árbol?"
    assert answer.body_html == "<p>Pida a <strong>Parques</strong>.</p>\n"
    assert answer.language == "es"
    assert answer.fallback is False
    assert answer.agency_name == "Parks Department"


def test_without_a_translation_the_source_language_is_shown_with_a_notice():
    # given
    article = make_article(title="How do I get a tree removed?")
    translate(article, language="es", title="¿Cómo?", body="Borrador", published=False)
    # when
    answer = article_get_public(slug="tree-removal", language="es")
    # then
    assert answer.title == "How do I get a tree removed?"
    assert answer.requested_language == "es"
    assert answer.language == "en"
    assert answer.fallback is True


def test_a_right_to_left_translation_is_served_like_any_other():
    # given
    article = make_article()
    translate(article, language="ar", title="كيف أزيل شجرة؟", body="اتصل بقسم الحدائق.")
    # when
    answer = article_get_public(slug=article.slug, language="ar")
    # then
    assert answer.title == "كيف أزيل شجرة؟"
    assert answer.fallback is False


def test_readers_see_the_published_revision_not_a_newer_draft():
    # given
    article = make_article(body="Published answer.")
    revision_draft_save(
        article=article,
        language="en",
        title="Draft?",
        body="Unreviewed draft.",
        by=editor_of(article.agency),
    )
    # when
    answer = article_get_public(slug=article.slug, language="en")
    # then
    assert "Published answer." in answer.body_html
    assert "Unreviewed" not in answer.body_html


def test_an_unpublished_article_is_404():
    # given
    make_article(published=False)
    # when / then
    with pytest.raises(Http404):
        article_get_public(slug="tree-removal", language="en")


def test_a_missing_article_is_404():
    with pytest.raises(Http404):
        article_get_public(slug="nothing-here", language="en")


def test_the_public_view_never_carries_internal_notes_or_the_call_script():
    # given
    _secret_article()
    # when
    answer = article_get_public(slug="tree-removal", language="en")
    # then
    field_names = {field.name for field in dataclasses.fields(answer)}
    assert not field_names & {"internal_notes", "call_script", "internal_notes_html"}
    everything = repr(dataclasses.asdict(answer))
    assert "forester" not in everything
    assert "555-0100" not in everything
    assert "backlog" not in everything


def test_the_public_fallback_never_carries_internal_notes_either():
    # given
    _secret_article()
    # when
    answer = article_get_public(slug="tree-removal", language="es")
    # then
    assert answer.fallback is True
    assert "forester" not in repr(dataclasses.asdict(answer))


def test_script_in_a_title_or_body_never_reaches_a_reader():
    # given
    make_article(
        title='Is <script>alert("t")</script> parking in effect?',
        body='<script>alert("b")</script>\n\n[x](javascript:alert(1)) <b onclick="x()">y</b>',
    )
    # when
    answer = article_get_public(slug="tree-removal", language="en")
    # then
    tags: list[tuple[str, list]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Collector().feed(answer.title_html + answer.body_html)
    assert all(tag != "script" for tag, _ in tags)
    assert all(not name.startswith("on") for _, attrs in tags for name, _ in attrs)
    assert "javascript:" not in "".join(str(value) for _, attrs in tags for _, value in attrs)


def test_the_answer_leads_to_its_public_service_types_and_live_related_articles():
    # given
    dead_tree = ServiceTypeFactory(code="dead-tree", name="Dead Tree")
    staff_only = ServiceTypeFactory(code="tree-audit", name="Tree Audit", is_public=False)
    stump = make_article(slug="stump", title="Who grinds a stump?")
    unpublished = make_article(slug="pruning", title="Who prunes?", published=False)
    article = make_article(
        related_articles=[stump, unpublished], service_types=[dead_tree, staff_only]
    )
    translate(stump, language="es", title="¿Quién muele un tocón?", body="Parques.")
    # when
    answer = article_get_public(slug=article.slug, language="es")
    # then
    assert [link.code for link in answer.service_types] == ["dead-tree"]
    assert [(related.slug, related.title) for related in answer.related] == [
        ("stump", "¿Quién muele un tocón?")
    ]


def test_related_articles_cost_the_same_queries_however_many_there_are(
    django_assert_max_num_queries,
):
    # given
    related = [
        make_article(slug=f"related-{number}", title=f"Related question {number}?")
        for number in range(4)
    ]
    make_article(related_articles=related)
    # when / then: the answer, its revisions, agency, service types and the related articles
    with django_assert_max_num_queries(6):
        answer = article_get_public(slug="tree-removal", language="en")
    assert len(answer.related) == 4
