import pytest

from cityline.knowledge.selectors import revision_needs_update
from cityline.knowledge.services import revision_draft_save
from cityline.knowledge.tests.factories import editor_of, make_article, publish, translate

pytestmark = pytest.mark.django_db


def test_a_fresh_translation_is_up_to_date():
    # given
    article = make_article()
    spanish = translate(article, language="es", title="¿Árbol?", body="Parques.")
    # when / then
    assert revision_needs_update(revision=spanish) is False


def test_a_translation_needs_updating_once_its_source_is_republished():
    # given
    article = make_article()
    spanish = translate(article, language="es", title="¿Árbol?", body="Parques.")
    editor = editor_of(article.agency)
    newer = revision_draft_save(article=article, language="en", title="Q?", body="New", by=editor)
    # when
    publish(newer, by=editor)
    # then
    assert revision_needs_update(revision=spanish) is True


def test_an_unpublished_source_draft_does_not_flag_the_translation():
    # given
    article = make_article()
    spanish = translate(article, language="es", title="¿Árbol?", body="Parques.")
    # when
    revision_draft_save(
        article=article, language="en", title="Q?", body="Draft", by=editor_of(article.agency)
    )
    # then
    assert revision_needs_update(revision=spanish) is False


def test_translating_the_new_source_clears_the_flag():
    # given
    article = make_article()
    translate(article, language="es", title="¿Árbol?", body="Parques.")
    editor = editor_of(article.agency)
    publish(
        revision_draft_save(article=article, language="en", title="Q?", body="New", by=editor),
        by=editor,
    )
    # when
    retranslated = translate(article, language="es", title="¿Árbol?", body="Parques, nuevo.")
    # then
    assert revision_needs_update(revision=retranslated) is False


def test_a_source_language_revision_never_needs_updating():
    # given
    article = make_article()
    # when / then
    assert revision_needs_update(revision=article.revisions.get()) is False
