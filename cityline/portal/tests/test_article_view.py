import pytest
from django.urls import reverse

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.knowledge.services import article_expire
from cityline.knowledge.tests.factories import editor_of, make_article, translate
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db

NOTES = "Internal: escalate to the borough forester."
SCRIPT = "Script: read the caller the tree number."


def _article(**extra):
    return make_article(internal_notes=NOTES, call_script=SCRIPT, topic="Trees", **extra)


def _url(slug="tree-removal"):
    return reverse("portal:article", args=[slug])


def test_the_article_page_shows_the_public_answer_and_where_it_leads(client):
    # given
    service_type = ServiceTypeFactory(
        code="dead-tree",
        name="Dead tree",
        sla_policy=SlaPolicyFactory(amount=5, unit=SlaUnit.BUSINESS_DAYS),
    )
    related = make_article(slug="tree-pruning", title="Can you prune a tree?")
    _article(service_types=[service_type], related_articles=[related])
    # when
    response = client.get(_url())
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>How do I get a tree removed?</h1>" in page
    assert "<p>Ask the Parks Department to inspect it.</p>" in page
    assert "Report this" in page
    assert '<a dir="auto" href="/report/?service=dead-tree">Dead tree</a>' in page
    assert "Or call 311, or use any 311 app." in page
    assert "the city aims to act within 5 business days" in page
    assert 'href="/help/articles/tree-pruning/"' in page
    assert "Answered by: <bdi>Parks Department</bdi>." in page
    assert "Last reviewed on" in page
    assert 'href="/help/topics/Trees/"' in page


def test_internal_notes_and_call_scripts_never_reach_the_public_page(client):
    # given
    _article()
    # when
    page = client.get(_url()).content.decode()
    # then
    assert "borough forester" not in page
    assert "tree number" not in page


def test_a_script_in_a_title_or_body_never_reaches_the_page(client):
    # given
    make_article(
        title="<script>alert('title')</script>Trees?",
        body="Hello <script>alert('body')</script> [x](javascript:alert('link'))",
    )
    # when
    page = client.get(_url()).content.decode()
    # then
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;Trees?" in page


def test_a_reader_in_another_language_sees_the_source_with_a_notice(client):
    # given
    _article()
    # when
    page = client.get(_url(), headers={"accept-language": "es"}).content.decode()
    # then
    assert '<html lang="es" dir="ltr">' in page
    assert '<article lang="en" dir="ltr">' in page
    assert '<p class="notice" lang="es" dir="ltr">' in page
    assert "Esta respuesta aún no está traducida a su idioma. Se muestra en English." in page
    assert "How do I get a tree removed?" in page


def test_a_translated_article_is_shown_in_the_readers_language_without_a_notice(client):
    # given
    article = _article()
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Pida a Parques.")
    # when
    page = client.get(_url(), headers={"accept-language": "es"}).content.decode()
    # then
    assert '<article lang="es" dir="ltr">' in page
    assert "¿Cómo quito un árbol?" in page
    assert "aún no está traducida" not in page


def test_how_to_report_is_told_in_the_readers_language(client):
    # given
    _article(service_types=[ServiceTypeFactory(code="dead-tree", name="Dead tree")])
    # when
    page = client.get(_url(), headers={"accept-language": "es"}).content.decode()
    # then
    assert "Reportar esto" in page
    assert "O llame al 311, o use cualquier aplicación del 311." in page


def test_arabic_pages_read_right_to_left(client):
    # given
    _article()
    # when
    page = client.get(_url(), headers={"accept-language": "ar"}).content.decode()
    # then
    assert '<html lang="ar" dir="rtl">' in page
    assert "هل أجاب هذا عن سؤالك؟" in page
    # The English answer it falls back to keeps its own direction inside the page.
    assert '<article lang="en" dir="ltr">' in page
    assert '<p class="notice" lang="ar" dir="rtl">' in page


@pytest.mark.parametrize("case", ["draft", "expired", "unknown"])
def test_an_article_readers_may_not_see_is_not_found(client, case):
    # given
    article = _article(published=case != "draft")
    if case == "expired":
        article_expire(article=article, by=editor_of(article.agency))
    slug = "no-such-article" if case == "unknown" else article.slug
    # when
    response = client.get(_url(slug))
    # then
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert "borough forester" not in response.content.decode()
