import pytest
from django.urls import reverse

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.console.tests.conftest import ROLES, STAFF
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.models import SearchLogEntry
from cityline.knowledge.tests.factories import make_article, sanitation
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db

URL = reverse("console:home")


@pytest.mark.parametrize("role", ROLES)
def test_staff_search_the_same_answers_and_residents_may_not(as_role, role, article):
    # when
    response = as_role(role).get(URL, {"q": "tree"})
    # then
    if role == "anonymous":
        assert response.status_code == 302
    elif role in STAFF:
        assert response.status_code == 200
        assert 'href="/console/articles/tree-removal/"' in response.content.decode()
    else:
        assert response.status_code == 403
    # Staff searches are not counted as readers' searches.
    assert not SearchLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("role", "listed"),
    [
        ("call_taker", set()),
        ("owning_editor", {"tree-removal"}),
        ("other_editor", {"bulk-pickup"}),
        ("content_team", {"tree-removal", "bulk-pickup"}),
    ],
)
def test_editors_list_only_the_articles_they_edit(as_role, role, listed, article):
    # given
    make_article(slug="bulk-pickup", title="When is bulk pickup?", agency=sanitation())
    # when
    page = as_role(role).get(URL).content.decode()
    # then
    shown = {slug for slug in ("tree-removal", "bulk-pickup") if f"/{slug}/manage/" in page}
    assert shown == listed
    assert ('href="/console/articles/new/"' in page) is bool(listed)
    assert ('href="/console/reports/unanswered/"' in page) is bool(listed)


def test_call_takers_see_each_services_promise_to_tell_the_caller(as_role, article):
    # given
    ServiceTypeFactory(code="dead-tree", name="Dead tree", sla_policy=SlaPolicyFactory(amount=4))
    search_index_service_types()
    # when
    page = as_role("call_taker").get(URL, {"q": "tree"}).content.decode()
    # then
    assert "Service type dead-tree · within 4 days" in page


def test_an_overlong_search_is_refused_naming_the_field(as_role, article):
    # when
    response = as_role("call_taker").get(URL, {"q": "x" * 201})
    # then
    assert response.status_code == 400
    assert "What do you need help with?</a>: Ensure this value has at most 200" in (
        response.content.decode()
    )
