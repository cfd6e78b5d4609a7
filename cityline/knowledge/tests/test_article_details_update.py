import pytest
from django.core.exceptions import PermissionDenied

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.errors import DomainError
from cityline.knowledge.models import KnowledgeArticle
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.selectors import article_get_public
from cityline.knowledge.services import article_details_update
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    content_team_member,
    editor_of,
    make_article,
    sanitation,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_or_the_content_team_change_an_articles_details(role):
    # given
    article = make_article()
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        assert article_details_update(article=article, by=user, topic="Trees") is True
        article.refresh_from_db()
        assert article.topic == "Trees"
    else:
        with pytest.raises(PermissionDenied):
            article_details_update(article=article, by=user, topic="Trees")
        article.refresh_from_db()
        assert article.topic == ""


def test_the_services_and_related_answers_reach_readers_at_once():
    # given
    article = make_article()
    other = make_article(slug="stump-grinding", title="Who grinds a stump?")
    dead_tree = ServiceTypeFactory(code="dead-tree", name="Dead tree")
    # when
    changed = article_details_update(
        article=article,
        by=editor_of(article.agency),
        service_types=[dead_tree],
        related_articles=[other],
    )
    # then
    page = article_get_public(slug=article.slug, language="en")
    assert changed is True
    assert [link.code for link in page.service_types] == ["dead-tree"]
    assert [related.slug for related in page.related] == ["stump-grinding"]


def test_a_new_topic_is_searchable():
    # given
    article = make_article()
    # when
    article_details_update(article=article, by=editor_of(article.agency), topic="Arborist")
    # then
    assert [hit.key for hit in knowledge_search(query="arborist", language="en")] == [article.slug]


def test_details_left_out_stay_as_they_are():
    # given
    dead_tree = ServiceTypeFactory(code="dead-tree")
    article = make_article(topic="Trees", service_types=[dead_tree])
    # when
    changed = article_details_update(
        article=article, by=editor_of(article.agency), related_articles=[]
    )
    # then
    article.refresh_from_db()
    assert changed is False
    assert article.topic == "Trees"
    assert list(article.service_types.all()) == [dead_tree]


def test_the_same_details_again_change_nothing():
    # given
    dead_tree = ServiceTypeFactory(code="dead-tree")
    article = make_article(topic="Trees", service_types=[dead_tree])
    # when
    changed = article_details_update(
        article=article,
        by=editor_of(article.agency),
        topic=" Trees ",
        service_types=[dead_tree],
        related_articles=[],
    )
    # then
    assert changed is False


def test_an_article_cannot_be_related_to_itself():
    # given
    article = make_article()
    # when / then
    with pytest.raises(DomainError) as refused:
        article_details_update(
            article=article, by=editor_of(article.agency), related_articles=[article]
        )
    assert refused.value.field == "related_articles"
    assert not article.related_articles.exists()


def test_a_topic_longer_than_its_column_is_refused_and_nothing_changes():
    # given
    article = make_article(topic="Trees")
    limit = KnowledgeArticle._meta.get_field("topic").max_length
    # when / then
    with pytest.raises(DomainError) as refused:
        article_details_update(
            article=article, by=editor_of(article.agency), topic="x" * (limit + 1)
        )
    assert refused.value.field == "topic"
    article.refresh_from_db()
    assert article.topic == "Trees"


def test_an_agencys_editor_cannot_move_its_article_into_another_agency():
    # given
    article = make_article()
    owner = article.agency
    # when / then
    with pytest.raises(PermissionDenied):
        article_details_update(article=article, by=editor_of(owner), agency=sanitation())
    article.refresh_from_db()
    assert article.agency == owner


def test_the_content_team_moves_an_article_to_another_agency():
    # given
    article = make_article()
    # when
    changed = article_details_update(article=article, by=content_team_member(), agency=sanitation())
    # then
    article.refresh_from_db()
    assert changed is True
    assert article.agency.code == "DSNY"
