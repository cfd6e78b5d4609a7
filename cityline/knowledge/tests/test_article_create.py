import pytest
from django.core.exceptions import PermissionDenied

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.errors import DomainError
from cityline.knowledge.models import ArticleStatus, RevisionState
from cityline.knowledge.services import article_create
from cityline.knowledge.tests.factories import EDITING_ROLES, ROLES, actor, make_article, parks

pytestmark = pytest.mark.django_db


def test_a_new_article_starts_as_a_draft_in_its_source_language():
    # given
    agency = parks()
    editor = actor("owning_editor", agency=agency)
    pothole = ServiceTypeFactory(code="pothole")
    # when
    article = article_create(
        agency=agency,
        slug="tree-removal",
        title="  How do I get a tree removed? ",
        topic="Trees",
        source_language="en",
        body="Ask **Parks**.",
        internal_notes="Check the tree census first.",
        call_script="Thank the caller.",
        service_types=[pothole],
        by=editor,
    )
    # then
    assert article.status == ArticleStatus.DRAFT
    assert article.title == "How do I get a tree removed?"
    assert list(article.service_types.all()) == [pothole]
    revision = article.revisions.get()
    assert revision.state == RevisionState.DRAFT
    assert revision.language == "en"
    assert revision.author == editor
    assert revision.internal_notes == "Check the tree census first."
    assert revision.source_revision is None


@pytest.mark.parametrize("role", ROLES)
def test_only_the_agencys_editors_and_the_content_team_create_its_articles(role):
    # given
    agency = parks()
    user = actor(role, agency=agency)
    # when / then
    if role in EDITING_ROLES:
        article = article_create(agency=agency, slug="s", title="Where?", by=user)
        assert article.agency == agency
    else:
        with pytest.raises(PermissionDenied):
            article_create(agency=agency, slug="s", title="Where?", by=user)


def test_a_slug_is_used_once():
    # given
    article = make_article(slug="tree-removal")
    editor = actor("owning_editor", agency=article.agency)
    # when / then
    with pytest.raises(DomainError) as error:
        article_create(agency=article.agency, slug="tree-removal", title="Again?", by=editor)
    assert error.value.field == "slug"


def test_an_article_needs_a_title():
    # given
    agency = parks()
    editor = actor("owning_editor", agency=agency)
    # when / then
    with pytest.raises(DomainError) as error:
        article_create(agency=agency, slug="blank", title="  ", by=editor)
    assert error.value.field == "title"
