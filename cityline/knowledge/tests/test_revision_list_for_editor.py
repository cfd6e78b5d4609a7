import pytest
from django.http import Http404

from cityline.knowledge.selectors import revision_list_for_editor
from cityline.knowledge.tests.factories import EDITING_ROLES, ROLES, actor, make_article, translate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_revision_is_listed_for_those_who_may_edit_the_article(role):
    # given
    article = make_article()
    translate(article, language="es", title="¿Árbol?", body="Parques.")
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        revisions = list(revision_list_for_editor(user=user, slug=article.slug))
        assert [(r.language, r.state) for r in revisions] == [
            ("en", "published"),
            ("es", "published"),
        ]
    else:
        with pytest.raises(Http404):
            revision_list_for_editor(user=user, slug=article.slug)
