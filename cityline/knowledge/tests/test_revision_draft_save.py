import pytest
from django.core.exceptions import PermissionDenied

from cityline.core.errors import DomainError
from cityline.knowledge.models import ArticleRevision, RevisionState
from cityline.knowledge.services import revision_draft_save
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    make_article,
    sanitation,
)

pytestmark = pytest.mark.django_db


def test_every_save_is_a_new_revision_and_earlier_text_is_kept():
    # given
    article = make_article(body="First answer.")
    editor = actor("owning_editor", agency=article.agency)
    # when
    revision_draft_save(article=article, language="en", title="Q?", body="Second", by=editor)
    revision_draft_save(article=article, language="en", title="Q?", body="Third", by=editor)
    # then
    assert [r.body for r in article.revisions.order_by("id")] == [
        "First answer.",
        "Second",
        "Third",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_and_the_content_team_write_drafts(role):
    # given
    article = make_article()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        revision = revision_draft_save(article=article, language="en", title="Q?", body="", by=user)
        assert revision.author == user
    else:
        with pytest.raises(PermissionDenied):
            revision_draft_save(article=article, language="en", title="Q?", body="", by=user)
        assert article.revisions.count() == 1


def test_a_translation_is_linked_to_the_published_source_revision():
    # given
    article = make_article()
    published = article.revisions.get(state=RevisionState.PUBLISHED)
    editor = actor("owning_editor", agency=article.agency)
    revision_draft_save(article=article, language="en", title="Newer?", body="Draft", by=editor)
    # when
    translation = revision_draft_save(
        article=article,
        language="es",
        title="¿Cómo quito un árbol?",
        body="Pida a Parques.",
        by=editor,
    )
    # then
    assert translation.source_revision == published


def test_a_translation_of_an_unpublished_article_follows_its_latest_draft():
    # given
    article = make_article(published=False)
    editor = actor("owning_editor", agency=article.agency)
    # when
    translation = revision_draft_save(article=article, language="ar", title="؟", body="", by=editor)
    # then
    assert translation.source_revision == article.revisions.get(language="en")


def test_a_source_language_revision_is_not_a_translation():
    # given
    article = make_article()
    editor = actor("owning_editor", agency=article.agency)
    source = article.revisions.get()
    # when / then
    with pytest.raises(DomainError) as error:
        revision_draft_save(
            article=article, language="en", title="Q?", body="", by=editor, source_revision=source
        )
    assert error.value.field == "source_revision"


def test_a_translation_is_made_from_this_articles_source_language():
    # given
    article = make_article()
    other = make_article(slug="bulk-pickup", agency=sanitation())
    editor = actor("content_team", agency=article.agency)
    # when / then
    with pytest.raises(DomainError) as error:
        revision_draft_save(
            article=article,
            language="es",
            title="¿?",
            body="",
            by=editor,
            source_revision=other.revisions.get(),
        )
    assert error.value.field == "source_revision"
    assert not ArticleRevision.objects.filter(language="es").exists()
