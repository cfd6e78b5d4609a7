from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.knowledge.models import ArticleStatus, RevisionState
from cityline.knowledge.services import (
    article_expire,
    article_schedule_apply,
    revision_approve,
    revision_publish,
    revision_submit,
)
from cityline.knowledge.tests.factories import editor_of, make_article, reviewer_of, translate

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=CHICAGO)


def _schedule(revision, at):
    editor = editor_of(revision.article.agency)
    revision_submit(revision=revision, by=editor)
    revision_approve(revision=revision, by=reviewer_of(revision.article.agency))
    revision_publish(revision=revision, by=editor, at=at)


def _scheduled_article(at):
    article = make_article(published=False)
    revision = article.revisions.get()
    _schedule(revision, at)
    return article, revision


def test_a_scheduled_revision_is_published_when_its_time_comes():
    # given
    with time_machine.travel(NOW, tick=False):
        article, revision = _scheduled_article(NOW + timedelta(hours=1))
    # when
    with time_machine.travel(NOW + timedelta(hours=1, minutes=1), tick=False):
        published = article_schedule_apply()
    # then
    revision.refresh_from_db()
    article.refresh_from_db()
    assert published == 1
    assert revision.state == RevisionState.PUBLISHED
    assert revision.published_at == NOW + timedelta(hours=1, minutes=1)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.publish_at is None


def test_an_article_goes_live_at_its_earliest_scheduled_revision_and_then_at_the_next():
    # given
    with time_machine.travel(NOW, tick=False):
        article = make_article(published=False)
        spanish = translate(article, language="es", title="¿Árbol?", body="Sí.", published=False)
        english = article.revisions.get(language="en")
        _schedule(english, NOW + timedelta(hours=3))
        _schedule(spanish, NOW + timedelta(hours=1))
    article.refresh_from_db()
    assert article.publish_at == NOW + timedelta(hours=1)
    # when
    with time_machine.travel(NOW + timedelta(hours=1, minutes=1), tick=False):
        published = article_schedule_apply()
    # then
    article.refresh_from_db()
    english.refresh_from_db()
    assert published == 1
    assert english.state == RevisionState.APPROVED
    assert article.publish_at == NOW + timedelta(hours=3)


def test_a_later_schedule_does_not_hide_an_earlier_one():
    # given
    with time_machine.travel(NOW, tick=False):
        article = make_article(published=False)
        spanish = translate(article, language="es", title="¿Árbol?", body="Sí.", published=False)
        _schedule(article.revisions.get(language="en"), NOW + timedelta(hours=1))
        # when
        _schedule(spanish, NOW + timedelta(hours=3))
    # then
    article.refresh_from_db()
    assert article.publish_at == NOW + timedelta(hours=1)


def test_a_scheduled_revision_waits_until_its_time():
    # given
    with time_machine.travel(NOW, tick=False):
        _article, revision = _scheduled_article(NOW + timedelta(hours=1))
    # when
    with time_machine.travel(NOW + timedelta(minutes=59), tick=False):
        published = article_schedule_apply()
    # then
    revision.refresh_from_db()
    assert published == 0
    assert revision.state == RevisionState.APPROVED


def test_an_article_past_its_expiry_is_archived():
    # given
    with time_machine.travel(NOW, tick=False):
        article = make_article()
        article_expire(article=article, by=editor_of(article.agency), at=NOW + timedelta(days=1))
    # when
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        article_schedule_apply()
    # then
    article.refresh_from_db()
    assert article.status == ArticleStatus.ARCHIVED
