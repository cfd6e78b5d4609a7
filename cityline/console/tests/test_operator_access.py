"""The operator's `admin` account (a superuser) uses every knowledge screen the console shows."""

import pytest
from django.urls import reverse

from cityline.knowledge.tests.factories import make_article, sanitation

pytestmark = pytest.mark.django_db

SCREENS = [
    ("console:article_new", False),
    ("console:article_manage", True),
    ("console:article_details", True),
    ("console:draft_edit", True),
    ("console:report_unanswered", False),
    ("console:report_unreviewed", False),
    ("console:report_helpful", False),
]


@pytest.mark.parametrize(("screen", "per_article"), SCREENS)
def test_a_superuser_opens_every_editing_screen_and_report(admin_client, screen, per_article):
    # given
    article = make_article(slug="bulk-pickup", agency=sanitation())
    # when
    response = admin_client.get(reverse(screen, args=[article.slug] if per_article else []))
    # then
    assert response.status_code == 200


def test_a_superuser_publishes_an_agencys_answer(admin_client, admin_user):
    # given
    article = make_article(slug="bulk-pickup", agency=sanitation(), published=False)
    revision = article.revisions.get()
    # when
    for action in ("submit", "approve", "publish"):
        admin_client.post(
            reverse("console:revision_action", args=[article.slug, revision.pk, action])
        )
    # then
    revision.refresh_from_db()
    assert revision.state == "published"
