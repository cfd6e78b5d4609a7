from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from cityline.catalog.tests.factories import ServiceTypeFactory, ServiceTypeKeywordFactory
from cityline.knowledge.models import RevisionState
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.services import revision_approve, revision_publish, revision_submit
from cityline.knowledge.tests.factories import editor_of, make_article, reviewer_of

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=CHICAGO)


def test_knowledge_schedule_publishes_what_is_due():
    # given
    with time_machine.travel(NOW, tick=False):
        article = make_article(published=False)
        revision = article.revisions.get()
        editor = editor_of(article.agency)
        revision_submit(revision=revision, by=editor)
        revision_approve(revision=revision, by=reviewer_of(article.agency))
        revision_publish(revision=revision, by=editor, at=NOW + timedelta(minutes=5))
    out = StringIO()
    # when
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        call_command("knowledge_schedule", stdout=out)
    # then
    revision.refresh_from_db()
    assert revision.state == RevisionState.PUBLISHED
    assert out.getvalue().strip() == "published 1"


def test_knowledge_reindex_picks_up_new_catalog_keywords():
    # given
    pothole = ServiceTypeFactory(code="pothole", name="Pothole")
    ServiceTypeKeywordFactory(service_type=pothole, term="sinkhole")
    assert knowledge_search(query="sinkhole", language="en") == []
    # when
    call_command("knowledge_reindex", stdout=StringIO())
    # then
    assert [r.key for r in knowledge_search(query="sinkhole", language="en")] == ["pothole"]
