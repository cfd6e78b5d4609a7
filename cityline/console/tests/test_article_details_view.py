import pytest
from django.urls import reverse

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.console.tests.conftest import EDITORS, ROLES
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = reverse("console:article_details", args=["tree-removal"])


@pytest.fixture
def dead_tree():
    return ServiceTypeFactory(code="dead-tree", name="Dead tree")


def test_the_form_shows_the_details_as_they_are(as_role, article, dead_tree):
    # given
    article.service_types.set([dead_tree])
    article.related_articles.set([make_article(slug="stump-grinding", title="Stumps?")])
    # when
    page = as_role("owning_editor").get(URL).content.decode()
    # then
    assert 'name="topic" value="Trees"' in page
    assert f'<option value="{dead_tree.pk}" selected>Dead tree (dead-tree)</option>' in page
    assert ">\nstump-grinding</textarea>" in page


def test_the_manage_page_links_to_the_details(as_role, article):
    # when
    page = (
        as_role("owning_editor")
        .get(reverse("console:article_manage", args=["tree-removal"]))
        .content.decode()
    )
    # then
    assert f'href="{URL}"' in page


def test_staff_only_and_inactive_services_are_not_offered(as_role, article, dead_tree):
    # given
    ServiceTypeFactory(code="internal-audit", name="Internal audit", is_public=False)
    ServiceTypeFactory(code="retired", name="Retired service", is_active=False)
    # when
    page = as_role("owning_editor").get(URL).content.decode()
    # then
    assert "Dead tree" in page
    assert "Internal audit" not in page
    assert "Retired service" not in page


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_open_the_details_form(as_role, role, article):
    # when
    response = as_role(role).get(URL)
    # then
    if role in EDITORS:
        assert response.status_code == 200
    else:
        assert response.status_code in {302, 404}
        assert b'name="topic"' not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_editors_change_the_details_and_others_change_nothing(as_role, role, article, dead_tree):
    # given
    make_article(slug="stump-grinding", title="Who grinds a stump?")
    # when
    response = as_role(role).post(
        URL,
        {
            "topic": "Street trees",
            "service_types": [dead_tree.pk],
            "related_articles": "stump-grinding",
        },
    )
    # then
    article.refresh_from_db()
    if role in EDITORS:
        assert response["Location"] == "/console/articles/tree-removal/manage/"
        assert article.topic == "Street trees"
        assert list(article.service_types.all()) == [dead_tree]
        assert list(article.related_articles.values_list("slug", flat=True)) == ["stump-grinding"]
    else:
        assert response.status_code in {302, 404}
        assert article.topic == "Trees"
        assert not article.service_types.exists()
        assert not article.related_articles.exists()


def test_the_details_reach_the_public_page_at_once(as_role, client, article, dead_tree):
    # given
    as_role("owning_editor").post(URL, {"topic": "Trees", "service_types": [dead_tree.pk]})
    client.logout()
    # when
    page = client.get(reverse("portal:article", args=["tree-removal"])).content.decode()
    # then
    assert "Dead tree" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"related_articles": "no-such-answer\nnor-this"},
            "related_articles",
            "no-such-answer, nor-this",
        ),
        ({"related_articles": "tree-removal"}, "related_articles", "cannot be related to itself"),
        ({"service_types": ["999999"]}, "service_types", "Select a valid choice"),
        ({"topic": "x" * 101}, "topic", "at most 100 characters"),
    ],
)
def test_bad_details_are_refused_beside_their_field_and_nothing_changes(
    as_role, article, data, field, message
):
    # when
    response = as_role("owning_editor").post(URL, {"topic": "Changed"} | data)
    # then
    article.refresh_from_db()
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert article.topic == "Trees"
    assert not article.related_articles.exists()
