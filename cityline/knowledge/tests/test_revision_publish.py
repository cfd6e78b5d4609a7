from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cityline.knowledge.models import ArticleStatus, RevisionState
from cityline.knowledge.services import (
    InvalidTransition,
    revision_approve,
    revision_draft_save,
    revision_publish,
    revision_submit,
)
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    editor_of,
    make_article,
    make_submitted_article,
    publish,
    reviewer_of,
)

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def _approved_article():
    article, revision = make_submitted_article()
    revision_approve(revision=revision, by=reviewer_of(article.agency))
    return article, revision


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_or_the_content_team_publish(role):
    # given
    article, revision = _approved_article()
    user = actor(role, agency=article.agency)
    published_at = datetime(2026, 6, 1, 9, 0, tzinfo=CHICAGO)
    # when / then
    if role in EDITING_ROLES:
        with time_machine.travel(published_at, tick=False):
            revision_publish(revision=revision, by=user)
        revision.refresh_from_db()
        article.refresh_from_db()
        assert revision.state == RevisionState.PUBLISHED
        assert revision.published_at == published_at
        assert article.status == ArticleStatus.PUBLISHED
    else:
        with pytest.raises(PermissionDenied):
            revision_publish(revision=revision, by=user)
        revision.refresh_from_db()
        assert revision.state == RevisionState.APPROVED


def test_only_an_approved_revision_is_published():
    # given
    article = make_article(published=False)
    editor = editor_of(article.agency)
    revision = article.revisions.get()
    revision_submit(revision=revision, by=editor)
    # when / then
    with pytest.raises(InvalidTransition):
        revision_publish(revision=revision, by=editor)


def test_publishing_supersedes_the_revision_readers_saw_before():
    # given
    article = make_article(title="Old question?")
    first = article.revisions.get()
    editor = editor_of(article.agency)
    second = revision_draft_save(
        article=article, language="en", title="New question?", body="New", by=editor
    )
    # when
    publish(second, by=editor)
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    article.refresh_from_db()
    assert first.state == RevisionState.SUPERSEDED
    assert second.state == RevisionState.PUBLISHED
    assert article.title == "New question?"


def test_the_database_holds_one_published_revision_per_language():
    # given
    article = make_article()
    editor = editor_of(article.agency)
    other = revision_draft_save(article=article, language="en", title="Q?", body="", by=editor)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        type(other).objects.filter(pk=other.pk).update(
            state=RevisionState.PUBLISHED, published_at=other.created_at
        )


def test_a_revision_published_at_a_later_time_waits_for_it():
    # given
    article, revision = _approved_article()
    editor = editor_of(article.agency)
    now = datetime(2026, 6, 1, 9, 0, tzinfo=CHICAGO)
    later = now + timedelta(days=2)
    # when
    with time_machine.travel(now, tick=False):
        revision_publish(revision=revision, by=editor, at=later)
    # then
    revision.refresh_from_db()
    article.refresh_from_db()
    assert revision.state == RevisionState.APPROVED
    assert revision.publish_at == later
    assert article.publish_at == later
    assert article.status == ArticleStatus.IN_REVIEW


def test_a_publish_time_already_past_publishes_at_once():
    # given
    article, revision = _approved_article()
    editor = editor_of(article.agency)
    now = datetime(2026, 6, 1, 9, 0, tzinfo=CHICAGO)
    # when
    with time_machine.travel(now, tick=False):
        revision_publish(revision=revision, by=editor, at=now - timedelta(hours=1))
    # then
    revision.refresh_from_db()
    assert revision.state == RevisionState.PUBLISHED
    assert revision.published_at == now
