from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from cityline.knowledge.services import article_reviewed_set
from cityline.knowledge.tests.factories import EDITING_ROLES, ROLES, actor, make_article

pytestmark = pytest.mark.django_db
REVIEWED = datetime(2026, 1, 15, 12, tzinfo=ZoneInfo("America/Chicago"))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_or_the_content_team_set_the_review_date(role):
    # given
    article = make_article()
    before = article.last_reviewed_at
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        assert article_reviewed_set(article=article, by=user, at=REVIEWED) is True
        article.refresh_from_db()
        assert article.last_reviewed_at == REVIEWED
    else:
        with pytest.raises(PermissionDenied):
            article_reviewed_set(article=article, by=user, at=REVIEWED)
        article.refresh_from_db()
        assert article.last_reviewed_at == before


def test_the_same_date_again_changes_nothing():
    # given
    article = make_article()
    user = actor("owning_editor", agency=article.agency)
    article_reviewed_set(article=article, by=user, at=REVIEWED)
    # when / then
    assert article_reviewed_set(article=article, by=user, at=REVIEWED) is False
