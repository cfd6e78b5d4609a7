import pytest
from django.core.exceptions import PermissionDenied

from cityline.knowledge.selectors import article_get_for_staff, article_get_public
from cityline.knowledge.services import revision_draft_save
from cityline.knowledge.tests.factories import ROLES, actor, editor_of, make_article, translate

pytestmark = pytest.mark.django_db


def _article():
    return make_article(
        body="Ask Parks.",
        internal_notes="Check the **tree census** first.",
        call_script="Say: <script>x()</script> thank you.",
    )


@pytest.mark.parametrize("role", ROLES)
def test_staff_read_internal_notes_and_the_call_script_and_residents_do_not(role):
    # given
    article = _article()
    user = actor(role, agency=article.agency)
    # when / then
    if role in {"resident", "anonymous"}:
        with pytest.raises(PermissionDenied):
            article_get_for_staff(user=user, slug=article.slug, language="en")
    else:
        answer = article_get_for_staff(user=user, slug=article.slug, language="en")
        assert "<strong>tree census</strong>" in answer.internal_notes_html
        assert "<script>" not in answer.call_script_html
        assert "thank you" in answer.call_script_html


def test_staff_and_the_public_see_the_same_published_revision():
    # given
    article = _article()
    editor = editor_of(article.agency)
    revision_draft_save(article=article, language="en", title="Draft?", body="Draft", by=editor)
    # when
    staff = article_get_for_staff(user=editor, slug=article.slug, language="en")
    public = article_get_public(slug=article.slug, language="en")
    # then
    assert staff.public == public


def test_staff_are_told_when_a_translation_needs_updating():
    # given
    article = _article()
    editor = editor_of(article.agency)
    translate(article, language="es", title="¿Árbol?", body="Pida a Parques.")
    translate(article, language="en", title="Tree?", body="Ask Parks, now online.")
    # when
    answer = article_get_for_staff(user=editor, slug=article.slug, language="es")
    # then
    assert answer.public.language == "es"
    assert answer.needs_update is True
