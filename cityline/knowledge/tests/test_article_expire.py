from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityline.knowledge.models import ArticleStatus
from cityline.knowledge.selectors import article_get_public
from cityline.knowledge.services import article_expire, revision_draft_save
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    editor_of,
    make_article,
    publish,
)

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=CHICAGO)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_or_the_content_team_expire_an_article(role):
    # given
    article = make_article()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        article_expire(article=article, by=user)
        article.refresh_from_db()
        assert article.status == ArticleStatus.ARCHIVED
        with pytest.raises(Http404):
            article_get_public(slug=article.slug, language="en")
    else:
        with pytest.raises(PermissionDenied):
            article_expire(article=article, by=user)
        article.refresh_from_db()
        assert article.status == ArticleStatus.PUBLISHED
        assert article.expire_at is None


def test_an_article_set_to_expire_later_is_read_until_then():
    # given
    with time_machine.travel(NOW, tick=False):
        article = make_article()
        article_expire(article=article, by=editor_of(article.agency), at=NOW + timedelta(days=7))
    # when / then
    with time_machine.travel(NOW + timedelta(days=6), tick=False):
        assert article_get_public(slug=article.slug, language="en").slug == article.slug
    with time_machine.travel(NOW + timedelta(days=7), tick=False), pytest.raises(Http404):
        article_get_public(slug=article.slug, language="en")


def test_publishing_again_brings_an_expired_article_back():
    # given
    article = make_article()
    editor = editor_of(article.agency)
    article_expire(article=article, by=editor)
    revision = revision_draft_save(article=article, language="en", title="Q?", body="B", by=editor)
    # when
    publish(revision, by=editor)
    # then
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.expire_at is None
    assert article_get_public(slug=article.slug, language="en").title == "Q?"
