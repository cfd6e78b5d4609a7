import pytest

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.geo.tests.factories import BoundaryAreaFactory
from cityline.knowledge import access
from cityline.knowledge.models import KnowledgeArticle
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_knowledge_editor_grant_edits_that_agencys_articles_only():
    # given
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    editor = user_with_role(Role.KNOWLEDGE_EDITOR, agency=dot)
    ours: KnowledgeArticle = make_article(agency=dot, slug="ours")
    theirs: KnowledgeArticle = make_article(agency=parks, slug="theirs")
    # when / then
    assert access.can_edit(user=editor, article=ours)
    assert not access.can_edit(user=editor, article=theirs)
    assert list(access.articles_for_editor(user=editor)) == [ours]
    assert list(access.agencies_for_editor(user=editor)) == [dot]
    assert access.report_agency_for(user=editor) == dot


def test_an_editor_of_two_agencies_edits_both():
    # given
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    editor = user_with_role(Role.KNOWLEDGE_EDITOR, agency=dot)
    editor.agency = parks
    editor.save()
    # when
    agencies = set(access.agencies_for_editor(user=editor))
    # then
    assert agencies == {dot, parks}
    assert access.report_agency_for(user=editor) == parks


@pytest.mark.parametrize(
    ("role", "reads_internal"),
    [
        (Role.CALL_TAKER, True),
        (Role.AUDITOR, True),
        (Role.SUPERVISOR_311, True),
        (Role.PARTNER, False),
    ],
)
def test_city_roles_read_call_scripts_and_partners_do_not(role, reads_internal):
    # given
    user = user_with_role(role, area=BoundaryAreaFactory.create() if role == Role.PARTNER else None)
    # when
    allowed = access.can_read_internal(user=user)
    # then
    assert allowed is reads_internal
