from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from cityline.knowledge.models import AgencyReviewPolicy, ArticleStatus, RevisionState
from cityline.knowledge.services import InvalidTransition, SecondReviewerNeeded, revision_approve
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    editor_of,
    make_article,
    make_submitted_article,
    sanitation,
)

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize("role", ROLES)
def test_an_approver_is_from_the_owning_agency_or_the_content_team(role):
    # given
    article, revision = make_submitted_article()
    user = actor(role, agency=article.agency)
    approved_at = datetime(2026, 5, 4, 10, 0, tzinfo=CHICAGO)
    # when / then
    if role in EDITING_ROLES:
        with time_machine.travel(approved_at, tick=False):
            revision_approve(revision=revision, by=user, note="Clear and correct.")
        revision.refresh_from_db()
        article.refresh_from_db()
        assert revision.state == RevisionState.APPROVED
        assert revision.reviewer == user
        assert revision.review_note == "Clear and correct."
        assert article.last_reviewed_at == approved_at
        assert article.status == ArticleStatus.IN_REVIEW
    else:
        with pytest.raises(PermissionDenied):
            revision_approve(revision=revision, by=user)
        revision.refresh_from_db()
        assert revision.state == RevisionState.SUBMITTED
        assert revision.reviewer is None


def test_only_a_submitted_revision_is_approved():
    # given
    article = make_article(published=False)
    editor = actor("owning_editor", agency=article.agency)
    # when / then
    with pytest.raises(InvalidTransition):
        revision_approve(revision=article.revisions.get(), by=editor)


@pytest.mark.parametrize("author_role", ["owning_editor", "content_team"])
def test_the_author_of_a_revision_cannot_approve_it(author_role):
    # given
    article, revision = make_submitted_article()
    author = actor(author_role, agency=article.agency)
    revision.author = author
    revision.save(update_fields=["author"])
    # when / then
    with pytest.raises(SecondReviewerNeeded):
        revision_approve(revision=revision, by=author)
    revision.refresh_from_db()
    assert revision.state == RevisionState.SUBMITTED


def test_an_agency_whose_policy_allows_it_lets_authors_approve_their_own():
    # given
    article, revision = make_submitted_article()
    AgencyReviewPolicy.objects.create(agency=article.agency, authors_may_approve=True)
    # when
    revision_approve(revision=revision, by=editor_of(article.agency))
    # then
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED


def test_another_agencys_policy_does_not_let_authors_approve():
    # given
    article, revision = make_submitted_article()
    other = make_article(slug="bulk-pickup", agency=editor_of(sanitation()).agency)
    AgencyReviewPolicy.objects.create(agency=other.agency, authors_may_approve=True)
    # when / then
    with pytest.raises(SecondReviewerNeeded):
        revision_approve(revision=revision, by=editor_of(article.agency))
