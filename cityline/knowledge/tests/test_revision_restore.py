import pytest
from django.core.exceptions import PermissionDenied

from cityline.knowledge.models import RevisionState
from cityline.knowledge.services import revision_draft_save, revision_restore
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    editor_of,
    make_article,
    publish,
)

pytestmark = pytest.mark.django_db


def _article_with_two_versions():
    article = make_article(
        title="Old?", body="Old answer.", internal_notes="Old notes", call_script="Old script"
    )
    old = article.revisions.get()
    editor = editor_of(article.agency)
    publish(
        revision_draft_save(article=article, language="en", title="New?", body="New", by=editor),
        by=editor,
    )
    return article, old


@pytest.mark.parametrize("role", ROLES)
def test_restoring_makes_a_new_draft_from_the_old_text(role):
    # given
    article, old = _article_with_two_versions()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        restored = revision_restore(revision=old, by=user)
        assert restored.pk != old.pk
        assert restored.state == RevisionState.DRAFT
        assert restored.restored_from == old
        assert restored.author == user
        assert (restored.title, restored.body, restored.internal_notes, restored.call_script) == (
            "Old?",
            "Old answer.",
            "Old notes",
            "Old script",
        )
    else:
        with pytest.raises(PermissionDenied):
            revision_restore(revision=old, by=user)
        assert article.revisions.count() == 2


def test_restoring_leaves_history_and_the_published_revision_alone():
    # given
    article, old = _article_with_two_versions()
    # when
    revision_restore(revision=old, by=editor_of(article.agency))
    # then
    old.refresh_from_db()
    assert old.state == RevisionState.SUPERSEDED
    assert article.revisions.get(state=RevisionState.PUBLISHED).title == "New?"
    assert article.revisions.count() == 3
