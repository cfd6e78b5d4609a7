import pytest
from django.http import Http404

from cityline.knowledge.selectors import DiffLine, revision_diff, text_diff
from cityline.knowledge.services import revision_draft_save
from cityline.knowledge.tests.factories import EDITING_ROLES, ROLES, actor, editor_of, make_article

pytestmark = pytest.mark.django_db


def test_text_diff_keeps_reading_order_of_kept_removed_and_added_lines():
    # when
    lines = text_diff("Call 311.\nWait a week.\nDone.", "Call 311.\nWait three days.\nDone.")
    # then
    assert lines == (
        DiffLine("same", "Call 311."),
        DiffLine("removed", "Wait a week."),
        DiffLine("added", "Wait three days."),
        DiffLine("same", "Done."),
    )


def test_text_diff_of_empty_to_text_adds_every_line():
    assert text_diff("", "One\nTwo") == (DiffLine("added", "One"), DiffLine("added", "Two"))


def _two_revisions():
    article = make_article(body="Ask Parks.\nThey inspect it.", internal_notes="Old note.")
    old = article.revisions.get()
    new = revision_draft_save(
        article=article,
        language="en",
        title=old.title,
        body="Ask Parks.\nThey inspect it within 30 days.",
        internal_notes="Old note.",
        call_script="Say: Parks will call you.",
        by=editor_of(article.agency),
    )
    return article, old, new


def test_the_diff_shows_each_field_and_whether_it_changed():
    # given
    article, old, new = _two_revisions()
    # when
    diff = revision_diff(
        user=editor_of(article.agency), slug=article.slug, old_id=old.pk, new_id=new.pk
    )
    # then
    changed = {field.field: field.changed for field in diff.fields}
    assert changed == {
        "title": False,
        "body": True,
        "internal_notes": False,
        "call_script": True,
    }
    body = next(field for field in diff.fields if field.field == "body")
    assert body.lines == (
        DiffLine("same", "Ask Parks."),
        DiffLine("removed", "They inspect it."),
        DiffLine("added", "They inspect it within 30 days."),
    )
    assert (diff.old, diff.new) == (old, new)


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_edit_the_article_see_a_diff(role):
    # given
    article, old, new = _two_revisions()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        assert revision_diff(user=user, slug=article.slug, old_id=old.pk, new_id=new.pk)
    else:
        with pytest.raises(Http404):
            revision_diff(user=user, slug=article.slug, old_id=old.pk, new_id=new.pk)


def test_a_revision_of_another_article_is_not_found():
    # given
    article, old, _ = _two_revisions()
    other = make_article(slug="other", agency=article.agency)
    # when / then
    with pytest.raises(Http404):
        revision_diff(
            user=editor_of(article.agency),
            slug=article.slug,
            old_id=old.pk,
            new_id=other.revisions.get().pk,
        )
