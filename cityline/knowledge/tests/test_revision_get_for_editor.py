import pytest
from django.http import Http404

from cityline.knowledge.selectors import revision_get_for_editor
from cityline.knowledge.tests.factories import EDITING_ROLES, ROLES, actor, make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_a_revision_is_found_only_for_those_who_may_edit_its_article(role):
    # given
    article = make_article(published=False)
    revision = article.revisions.get()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        found = revision_get_for_editor(user=user, slug=article.slug, revision_id=revision.pk)
        assert found == revision
    else:
        with pytest.raises(Http404):
            revision_get_for_editor(user=user, slug=article.slug, revision_id=revision.pk)


def test_an_unknown_revision_is_not_found():
    # given
    article = make_article(published=False)
    user = actor("owning_editor", agency=article.agency)
    # when / then
    with pytest.raises(Http404):
        revision_get_for_editor(
            user=user, slug=article.slug, revision_id=article.revisions.get().pk + 1
        )
