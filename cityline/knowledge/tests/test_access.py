import pytest
from django.http import Http404

from cityline.accounts.tests.factories import UserFactory
from cityline.knowledge.access import (
    agencies_for_editor,
    article_get_for_editor,
    can_read_internal,
    is_content_team,
)
from cityline.knowledge.tests.factories import (
    EDITING_ROLES,
    ROLES,
    actor,
    editor_of,
    make_article,
    sanitation,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_editors_see_only_their_agencys_articles(role):
    # given
    article = make_article(published=False)
    user = actor(role, agency=article.agency)
    # when / then
    if role in EDITING_ROLES:
        assert article_get_for_editor(user=user, slug=article.slug) == article
    else:
        with pytest.raises(Http404):
            article_get_for_editor(user=user, slug=article.slug)


def test_the_content_team_sees_every_agencys_articles():
    # given
    parks_article = make_article(slug="trees")
    sanitation_article = make_article(slug="bulk-pickup", agency=sanitation())
    member = actor("content_team", agency=parks_article.agency)
    # when / then
    assert article_get_for_editor(user=member, slug="trees") == parks_article
    assert article_get_for_editor(user=member, slug="bulk-pickup") == sanitation_article


def test_a_missing_article_is_404_even_for_the_content_team():
    # given
    member = actor("content_team", agency=editor_of(sanitation()).agency)
    # when / then
    with pytest.raises(Http404):
        article_get_for_editor(user=member, slug="no-such-article", for_update=True)


def test_a_deactivated_editor_sees_nothing():
    # given
    article = make_article()
    editor = editor_of(article.agency)
    editor.is_active = False
    editor.save()
    # when / then
    with pytest.raises(Http404):
        article_get_for_editor(user=editor, slug=article.slug)


def test_a_deactivated_content_team_member_loses_the_teams_rights():
    # given
    article = make_article()
    member = actor("content_team", agency=article.agency)
    member.is_active = False
    member.save()
    # when / then
    assert not is_content_team(member)
    assert not agencies_for_editor(user=member).exists()
    with pytest.raises(Http404):
        article_get_for_editor(user=member, slug=article.slug)


@pytest.mark.parametrize(
    ("role", "may_read"),
    [
        ("owning_editor", True),
        ("other_editor", True),
        ("content_team", True),
        ("resident", False),
        ("anonymous", False),
    ],
)
def test_staff_of_any_agency_read_internal_parts(role, may_read):
    # given
    user = actor(role, agency=make_article().agency)
    # when / then
    assert can_read_internal(user=user) is may_read


def test_a_311_call_taker_reads_internal_parts():
    # given
    call_taker = UserFactory(username="call-taker", is_staff=True)
    # when / then
    assert can_read_internal(user=call_taker) is True
