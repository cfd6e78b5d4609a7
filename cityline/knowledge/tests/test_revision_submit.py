import pytest
from django.core.exceptions import PermissionDenied

from cityline.knowledge.models import ArticleStatus, RevisionState
from cityline.knowledge.services import InvalidTransition, revision_submit
from cityline.knowledge.tests.factories import EDITING_ROLES, ROLES, actor, make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_and_the_content_team_submit_for_review(role):
    # given
    article = make_article(published=False)
    revision = article.revisions.get()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        revision_submit(revision=revision, by=user)
        revision.refresh_from_db()
        article.refresh_from_db()
        assert revision.state == RevisionState.SUBMITTED
        assert article.status == ArticleStatus.IN_REVIEW
    else:
        with pytest.raises(PermissionDenied):
            revision_submit(revision=revision, by=user)
        revision.refresh_from_db()
        assert revision.state == RevisionState.DRAFT


def test_only_a_draft_is_submitted():
    # given
    article = make_article()
    editor = actor("owning_editor", agency=article.agency)
    # when / then
    with pytest.raises(InvalidTransition):
        revision_submit(revision=article.revisions.get(), by=editor)
