import pytest
from django.core.exceptions import PermissionDenied

from cityline.core.errors import DomainError
from cityline.knowledge.models import ArticleStatus, RevisionState
from cityline.knowledge.services import (
    InvalidTransition,
    revision_draft_save,
    revision_send_back,
    revision_submit,
)
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    editor_of,
    make_submitted_article,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_or_the_content_team_send_a_revision_back(role):
    # given
    article, revision = make_submitted_article()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        revision_send_back(revision=revision, by=user, note="Name the form residents need.")
        revision.refresh_from_db()
        article.refresh_from_db()
        assert revision.state == RevisionState.SENT_BACK
        assert revision.reviewer == user
        assert revision.review_note == "Name the form residents need."
        assert article.status == ArticleStatus.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            revision_send_back(revision=revision, by=user, note="No.")
        revision.refresh_from_db()
        assert revision.state == RevisionState.SUBMITTED


def test_sending_back_needs_a_note():
    # given
    article, revision = make_submitted_article()
    # when / then
    with pytest.raises(DomainError) as error:
        revision_send_back(revision=revision, by=editor_of(article.agency), note=" ")
    assert error.value.field == "note"


def test_a_sent_back_revision_is_answered_with_a_new_draft():
    # given
    article, revision = make_submitted_article()
    editor = editor_of(article.agency)
    revision_send_back(revision=revision, by=editor, note="Too long.")
    # when
    redraft = revision_draft_save(
        article=article, language="en", title="Q?", body="Short", by=editor
    )
    revision_submit(revision=redraft, by=editor)
    # then
    redraft.refresh_from_db()
    assert redraft.state == RevisionState.SUBMITTED
    with pytest.raises(InvalidTransition):
        revision_submit(revision=revision, by=editor)
